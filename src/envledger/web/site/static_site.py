"""The static disclosure site: the same page and API documents as files, for any host or file://.

Layout of ``out_dir``::

    index.html, zh-CN/index.html            the page (data embedded, no fetch needed), its
                                            Content-Security-Policy in a <meta> tag
    static/                                 site.css, site.js, vendor/ (Vega)
    api/v1/years.json, targets.json, measures.json, restatements.json, groups.json
    api/v1/inventory/<year>.json            envledger.inventory/1
    api/v1/sections/<id>/<year>.json|.csv   one section, one year
    api/v1/sections/<id>.csv                one section, every year
    api/v1/groups/<section id>/intensities/<year>.json
    api/v1/footnotes/<year>.json
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from envledger.disclosure import SiteData, load_template
from envledger.services.publication.site_data import build_site_data
from envledger.settings import Settings
from envledger.web.shared import documents
from envledger.web.shared.headers import PAGE_POLICY
from envledger.web.site.page import Links, render_page


def static_links(root: str, languages: dict[str, str]) -> Links:
    """Relative links of a static page ``root`` away from the site's top directory."""
    return Links(
        static=f"{root}static/",
        section_json=f"{root}api/v1/sections/{{id}}/{{year}}.json",
        section_csv=f"{root}api/v1/sections/{{id}}/{{year}}.csv",
        section_csv_all=f"{root}api/v1/sections/{{id}}.csv",
        api=f"{root}api/v1/years.json",
        languages=languages,
        lang_param=False,
        policy=PAGE_POLICY,
    )


PAGES = {
    "index.html": ("en", static_links("", {"en": "index.html", "zh-CN": "zh-CN/index.html"})),
    "zh-CN/index.html": (
        "zh-CN", static_links("../", {"en": "../index.html", "zh-CN": "index.html"})
    ),
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_json(path: Path, document: Any) -> None:
    _write(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_dir():
            _copy_tree(item, target / item.name)
        else:
            (target / item.name).write_bytes(item.read_bytes())


def write_site(site: SiteData, out_dir: Path) -> None:
    """Write the pages, assets and API documents of ``site`` under ``out_dir``."""
    for name, (language, links) in PAGES.items():
        _write(out_dir / name, render_page(site, language, {}, links))
    _copy_tree(files("envledger.web").joinpath("static"), out_dir / "static")
    api = out_dir / "api" / "v1"
    _write_json(api / "years.json", documents.years_document(site))
    _write_json(api / "targets.json", documents.targets_document(site))
    _write_json(api / "measures.json", documents.measures_document(site, None))
    _write_json(api / "restatements.json", documents.restatements_document(site, None))
    _write_json(api / "groups.json", documents.groups_document(site, "en"))
    for year in site.years:
        _write_json(api / "inventory" / f"{year}.json", site.payload(year))
        _write_json(api / "footnotes" / f"{year}.json",
                    documents.footnotes_document(site, year, "en"))
    for section in site.sections:
        _write(api / "sections" / f"{section.id}.csv", documents.section_csv(site, section, None))
        for year in section.years:
            folder = api / "sections" / section.id
            _write_json(folder / f"{year}.json",
                        documents.section_document(site, section, year, "en"))
            _write(folder / f"{year}.csv", documents.section_csv(site, section, year))
            if section.group is not None:
                _write_json(api / "groups" / section.id / "intensities" / f"{year}.json",
                            documents.intensities_document(site, section, year, "en"))


def build_site(settings: Settings, out_dir: Path, template_path: Path | None = None) -> Path:
    """Build the static disclosure site of the ledger into ``out_dir``; returns index.html."""
    site = build_site_data(settings, load_template(template_path))
    write_site(site, Path(out_dir))
    return Path(out_dir) / "index.html"
