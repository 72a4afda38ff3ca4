"""Labels of the disclosure site in English and Simplified Chinese (table in labels.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import Literal, get_args

import yaml

Language = Literal["en", "zh-CN"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


@cache
def _tables() -> dict[str, dict[str, str]]:
    text = files(__package__).joinpath("labels.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


class Labels:
    """The label table of one language: ``labels("page.caption", title=..., year=...)``."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._table = _tables()[language]

    def __call__(self, key: str, **params: object) -> str:
        """The label of ``key`` with its ``{name}`` placeholders filled."""
        text = self._table[key]
        return text.format(**params) if params else text

    def get(self, key: str, default: str) -> str:
        """The label of ``key``, or ``default`` when the table has none (codes, units)."""
        return self._table.get(key, default)

    def join(self, items: Iterable[str]) -> str:
        """Items joined with the language's list separator, or the word for none."""
        joined = self("list.separator").join(items)
        return joined or self("none")

    def unit(self, unit: str) -> str:
        """A contract unit for display, e.g. ``tCO2e/m2`` -> ``tCO₂e/m²``."""
        return "/".join(self.get(f"unit.{part}", part) for part in unit.split("/"))



def localize(text: Mapping[str, str], language: Language) -> str:
    """Text in ``language``, else in the first language given (English by default)."""
    return text.get(language) or next(iter(text.values()))
