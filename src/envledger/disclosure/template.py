"""The disclosure template the company edits: which sections appear, in which order, titled how.

A YAML file (``default.yaml`` when none is given) validated by the models below; a bad
file raises :class:`TemplateError` naming the file, the key and what was expected.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from envledger.disclosure.figures import (
    CARRIER_METRIC,
    COMPANY_METRICS,
    INDICATORS,
    Indicator,
    shipped_carriers,
)
from envledger.disclosure.labels import Language
from envledger.errors import EnvledgerError

DEFAULT_TEMPLATE = "default.yaml"


class TemplateError(EnvledgerError):
    """The disclosure template cannot be read or does not follow the template schema."""


def _localized(value: object) -> object:
    return {"en": value} if isinstance(value, str) else value


#: text in one or more languages; a plain string is English (and the fallback)
Localized = Annotated[dict[Language, str], BeforeValidator(_localized)]
#: an identifier used in URLs (``?ghg=2022``) and anchors
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
RESERVED_IDS = frozenset({"lang"})


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug | None = Field(None, description="Anchor and URL key; defaults to the kind.")
    title: Localized | None = Field(None, description="Heading; defaults to the label.")
    text: Localized | None = Field(None, description="Narrative shown under the heading.")

    @property
    def key(self) -> str:
        """The block's identifier: its ``id`` or its ``kind``."""
        return self.id or self.kind  # type: ignore[attr-defined]


class FiguresBlock(_Block):
    """GHG, energy, water or waste figures of the company, with a year selector."""

    kind: Literal["ghg", "energy", "water", "waste"]
    metrics: list[str] | None = Field(
        None, description="Metrics shown, in order; defaults to the kind's standard list."
    )
    uncertainty: bool = Field(
        True, description="Show each figure's 95 % uncertainty (IPCC Approach 1) as ± x %."
    )

    @model_validator(mode="after")
    def _known_metrics(self) -> FiguresBlock:
        allowed = list(COMPANY_METRICS[self.kind])
        for metric in self.metrics or ():
            carrier = metric.removeprefix(CARRIER_METRIC)
            by_carrier = (self.kind == "energy" and metric.startswith(CARRIER_METRIC)
                          and carrier in shipped_carriers())
            if metric not in allowed and not by_carrier:
                extra = ""
                if self.kind == "energy":
                    extra = f" or {CARRIER_METRIC}<{'|'.join(shipped_carriers())}>"
                raise ValueError(
                    f"unknown {self.kind} metric {metric!r}; expected one of {allowed}{extra}"
                )
        return self


class GroupEntry(BaseModel):
    """One facility group of the intensity block, with its own year selector."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, description="Group name exactly as in the facilities file.")
    id: Slug | None = None
    title: Localized | None = None
    indicators: list[Indicator] | None = None


class IntensityBlock(_Block):
    """Intensity KPIs by facility group, each group with its own year selector."""

    kind: Literal["intensity"]
    indicators: list[Indicator] = Field(
        default_factory=lambda: list(INDICATORS),
        description="Indicators of a group that lists none of its own.",
    )
    groups: list[GroupEntry] = Field(default_factory=list, description="Groups shown first.")
    other_groups: bool = Field(
        True, description="Also show the ledger's groups not listed, by name."
    )


class ListBlock(_Block):
    """Targets or reduction measures, read from the inventory payload when present."""

    kind: Literal["targets", "measures"]
    when_empty: Literal["hide", "note"] = Field(
        "note", description="Without data: hide the section or say that none is set."
    )


class TextBlock(_Block):
    """A narrative section the company writes (green buildings, products, ...)."""

    kind: Literal["text"]
    id: Slug
    title: Localized
    text: Localized


class FootnotesBlock(_Block):
    """The numbered notes generated from data and settings, with a year selector."""

    kind: Literal["footnotes"]


Block = Annotated[
    FiguresBlock | IntensityBlock | ListBlock | TextBlock | FootnotesBlock,
    Field(discriminator="kind"),
]


class DisclosureTemplate(BaseModel):
    """The disclosure page: company name, heading, introduction and sections in order."""

    model_config = ConfigDict(extra="forbid")

    company: str | None = Field(None, description="Company name shown in the page heading.")
    title: Localized | None = None
    intro: Localized | None = None
    sections: list[Block] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> DisclosureTemplate:
        seen: set[str] = set()
        for block in self.sections:
            ids = [block.key]
            if isinstance(block, IntensityBlock):
                ids += [g.id for g in block.groups if g.id]
            for key in ids:
                if key in seen or key in RESERVED_IDS:
                    raise ValueError(f"section id {key!r} is used twice or reserved")
                seen.add(key)
        return self


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "(top level)"


def parse_template(data: Any, source: str) -> DisclosureTemplate:
    """Validate template data read from ``source`` (named in errors)."""
    try:
        return DisclosureTemplate.model_validate(data)
    except ValidationError as error:
        problems = "\n".join(
            f"  - {_location(e['loc'])}: {e['msg']} (got {e['input']!r})"
            for e in error.errors(include_url=False)
        )
        raise TemplateError(f"{source}: invalid disclosure template:\n{problems}") from None


def load_template(path: Path | None = None) -> DisclosureTemplate:
    """Read a disclosure template YAML file; None reads the built-in ``default.yaml``."""
    if path is None:
        source = f"envledger/disclosure/{DEFAULT_TEMPLATE}"
        text = files(__package__).joinpath(DEFAULT_TEMPLATE).read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise TemplateError(f"{source}: cannot read the template: {error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TemplateError(f"{source}: not valid YAML: {error}") from None
    return parse_template(data, source)
