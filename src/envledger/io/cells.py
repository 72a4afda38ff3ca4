"""Cells of exported CSV files made safe to open in a spreadsheet (CSV / formula injection).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, so an imported text such as ``=HYPERLINK(...)`` could act when a
reader opens an export. As OWASP's "CSV Injection" page describes, such a text is written
with a leading ``'``, which makes it plain text. A number such as ``-12.5`` or ``+3e-2`` is
data, not a formula, and stays as it is so that exports keep re-computing.

References:
    OWASP Foundation, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
#: the same test in Arrow's regex dialect (RE2): a trigger first, and not a plain number
_TRIGGER = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def escape_formula(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula."""
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def escape_formulas(table: pa.Table) -> pa.Table:
    """``table`` with :func:`escape_formula` applied to every string column (columnwise)."""
    for index, field in enumerate(table.schema):
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        column = table.column(index)
        risky = pc.and_kleene(pc.match_substring_regex(column, _TRIGGER),
                              pc.invert(pc.match_substring_regex(column, _PLAIN_NUMBER)))
        escaped = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        table = table.set_column(index, field, escaped)
    return table
