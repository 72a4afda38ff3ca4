"""The disclosure page rendered server-side with Jinja2, for the server and the static build."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from envledger import __version__
from envledger.disclosure import Block, DataSection, Labels, Language, SiteData, localize
from envledger.disclosure.footnotes import SECTION_NOTES, note_number
from envledger.web.shared.documents import figure_rows, footnote_rows, number
from envledger.web.shared.templates import templates


@dataclass(frozen=True)
class Links:
    """Where a page finds its assets, data documents and its other language versions.

    Patterns hold ``{id}`` (section id) and ``{year}``; ``languages`` maps a language to
    the address of that version; ``lang_param`` says whether the address needs ``lang=``;
    ``policy`` is a Content-Security-Policy for a ``<meta>`` tag (static hosts send none).
    """

    static: str
    section_json: str
    section_csv: str
    section_csv_all: str
    api: str
    languages: Mapping[str, str]
    lang_param: bool
    policy: str = ""


SERVER_LINKS = Links(
    static="/static/",
    section_json="/api/v1/sections/{id}?year={year}",
    section_csv="/api/v1/sections/{id}.csv?year={year}",
    section_csv_all="/api/v1/sections/{id}.csv",
    api="/api/v1/years",
    languages={"en": "/", "zh-CN": "/"},
    lang_param=True,
)




def _selectable(site: SiteData) -> dict[str, tuple[int, ...]]:
    """Every year selector of the page: its URL key and the years it offers."""
    keys = {s.id: s.years for s in site.sections}
    keys.update({b.id: tuple(site.years) for b in site.blocks if b.kind == "footnotes"})
    return {key: years for key, years in keys.items() if years}


def selected_years(site: SiteData, chosen: Mapping[str, str]) -> dict[str, int]:
    """The year each selector shows: the URL's choice when valid, else its latest year."""
    out = {}
    for key, years in _selectable(site).items():
        wanted = chosen.get(key, "")
        out[key] = int(wanted) if wanted.isdigit() and int(wanted) in years else years[-1]
    return out


def _query(site: SiteData, selected: Mapping[str, int], extra: Mapping[str, str]) -> str:
    """Query string of the non-default choices (and ``extra``), '' when there are none."""
    latest = {key: years[-1] for key, years in _selectable(site).items()}
    params = {k: str(y) for k, y in selected.items() if y != latest[k]} | dict(extra)
    return f"?{urlencode(params)}" if params else ""


def _language_links(
    site: SiteData, selected: Mapping[str, int], links: Links
) -> dict[str, str]:
    out = {}
    for language, address in links.languages.items():
        extra = {"lang": language} if links.lang_param and language != "en" else {}
        out[language] = address + _query(site, selected, extra)
    return out


def _panel(site: SiteData, section: DataSection, year: int, t: Labels, links: Links) -> dict:
    language = t.language
    rows = figure_rows(site, section, year, t)
    for row in rows:
        row["unit_display"] = t.unit(row["unit"])
    history = [
        (y, [t("not_reported") if f.value is None else number(f.value, section.digits)
             for f in site.figures(section, y)])
        for y in section.years
    ]
    return {
        "section": section,
        "title": section.title[language],
        "year": year,
        "rows": rows,
        "history": history,
        "notes": [(note_number(key), key) for key in SECTION_NOTES[section.kind]],
        "json": links.section_json.format(id=section.id, year=year),
        "csv": links.section_csv.format(id=section.id, year=year),
        "csv_all": links.section_csv_all.format(id=section.id),
    }


def _section_data(site: SiteData, section: DataSection, t: Labels) -> dict[str, Any]:
    """What the page's script needs to switch a section's year without a reload."""
    return {
        "digits": section.digits,
        "metrics": [
            {"metric": m, "label": t(f"metric.{section.kind}.{m}"),
             "unit": t.unit(section.units[m])}
            for m in section.metrics
        ],
        "years": {
            str(y): [
                {"value": r["value"], "display": r["display"], "change": r["change_display"],
                 "uncertainty": r["uncertainty_display"]}
                for r in figure_rows(site, section, y, t)
            ]
            for y in section.years
        },
        "caption": {
            str(y): t("page.caption", title=section.title[t.language], year=y)
            for y in section.years
        },
    }


#: the columns a reader needs, in order; the JSON twin keeps every field
LISTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "targets": (
        "name", "base_year", "target_year", "reduction", "base_value", "latest_year",
        "latest_value", "change_pct", "status",
    ),
    "measures": (
        "year", "name", "category", "facility_code", "savings_tco2e", "savings_mwh",
        "savings_water_t", "estimate_method",
    ),
}


def _listed_table(
    kind: str, items: list[Mapping[str, Any]], language: Language
) -> dict[str, Any]:
    """Targets or measures as a table of the reader's columns, quantities with their unit."""
    t = Labels(language)
    present = {key for item in items for key in item}
    keys = [key for key in LISTED_COLUMNS[kind] if key in present]

    def cell(value: Any) -> str:
        if isinstance(value, Mapping) and "value" in value and "unit" in value:
            return f"{number(value['value'], 2)} {t.unit(value['unit'])}"
        if isinstance(value, Mapping):
            return localize(value, language)
        return "" if value is None else str(value)

    return {
        "headers": [t.get(f"field.{key}", key.replace("_", " ")) for key in keys],
        "rows": [[cell(item.get(key)) for key in keys] for item in items],
    }


def _visible(site: SiteData, block: Block) -> bool:
    if block.kind in ("targets", "measures"):
        return bool(site.listed(block.kind)) or block.when_empty == "note"
    if block.kind == "footnotes":
        return bool(site.years)
    return block.kind == "text" or bool(block.sections)


def _script_json(data: Any) -> Markup:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))  # "<" escaped: safe inside <script>


def render_page(
    site: SiteData, language: Language, chosen: Mapping[str, str], links: Links
) -> str:
    """The whole disclosure page in ``language`` with the years ``chosen`` by URL key."""
    t = Labels(language)
    selected = selected_years(site, chosen)
    blocks = [b for b in site.blocks if _visible(site, b)]
    panels = {
        s.id: _panel(site, s, selected[s.id], t, links) for b in blocks for s in b.sections
    }
    notes = {
        b.id: {str(y): footnote_rows(site.notes(y), language) for y in site.years}
        for b in blocks if b.kind == "footnotes"
    }
    data = {
        "lang": language,
        "links": {"json": links.section_json, "csv": links.section_csv},
        "languages": links.languages,
        "langParam": links.lang_param,
        "selected": selected,
        "latest": {key: years[-1] for key, years in _selectable(site).items()},
        "sections": {s.id: _section_data(site, s, t) for b in blocks for s in b.sections},
        "notes": notes,
    }
    first, last = (site.years[0], site.years[-1]) if site.years else (None, None)
    return templates().get_template("page.html").render(
        t=t,
        lang=language,
        site=site,
        title=localize(site.title, language),
        intro=localize(site.intro, language) if site.intro else None,
        years=(first, last),
        blocks=blocks,
        panels=panels,
        selected=selected,
        notes=notes,
        latest=data["latest"],
        listed_tables={kind: _listed_table(kind, site.listed(kind), language)
                for kind in ("targets", "measures")},
        links=links,
        language_links=_language_links(site, selected, links),
        localize=localize,
        version=__version__,
        data=_script_json(data),
    )
