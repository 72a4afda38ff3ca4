"""SQL text shared by the engine steps (portable: standard CASE, LIKE, quoting)."""

from __future__ import annotations


def literal(text: str) -> str:
    """A SQL string literal of ``text`` (single quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def gas_group(column: str) -> str:
    """SQL expression of the reporting group of the gas named in ``column``.

    Kyoto gases as CO2, CH4, N2O, HFCs (``HFC-*``), PFCs (``CF4``, ``C2F6``, ...,
    ``c-C4F8``, ``PFC-*``), SF6, NF3; anything else ``other``.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 9 (reporting the seven gases separately);
    ISO 14064-1:2018, 9.3.1 b.
    """
    return f"""
        CASE WHEN {column} IN ('CO2', 'CH4', 'N2O', 'SF6', 'NF3') THEN {column}
             WHEN {column} LIKE 'HFC-%' THEN 'HFCs'
             WHEN {column} = 'CF4' OR {column} LIKE 'PFC-%' OR {column} LIKE 'C_F%'
                  OR {column} LIKE 'c-C_F%' THEN 'PFCs'
             ELSE 'other' END
    """


def significant(expression: str, digits: int = 6) -> str:
    """SQL text of a number rounded to ``digits`` significant figures, for display only."""
    return f"""
        CAST(CASE WHEN {expression} = 0 THEN 0.0
                  ELSE ROUND({expression},
                             {digits - 1} - CAST(FLOOR(LOG10(ABS({expression}))) AS INTEGER))
             END AS VARCHAR)
    """
