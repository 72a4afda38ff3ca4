"""The disclosure template: the default matches DISCLOSURE.md; bad files get clear errors."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from envledger.disclosure import LANGUAGES, Labels, TemplateError, load_template
from envledger.disclosure.figures import COMPANY_METRICS, INDICATORS, shipped_carriers
from envledger.disclosure.footnotes import NOTE_KEYS
from envledger.disclosure.template import FiguresBlock, IntensityBlock, ListBlock


def test_default_template_follows_the_disclosure_structure() -> None:
    template = load_template()
    kinds = [block.kind for block in template.sections]
    assert kinds == [
        "ghg", "targets", "measures", "energy", "water", "waste", "intensity", "footnotes",
    ]
    intensity = next(b for b in template.sections if isinstance(b, IntensityBlock))
    groups = {g.name: g.indicators for g in intensity.groups}
    assert groups["Office areas in mainland China"] is None  # the block's seven indicators
    assert list(intensity.indicators) == list(INDICATORS)
    assert groups["Self-operated retail stores in mainland China"] == [
        "energy_per_floor_area", "ghg_per_floor_area",
    ]
    targets = next(b for b in template.sections if isinstance(b, ListBlock))
    assert targets.when_empty == "note"


def test_label_tables_hold_the_same_keys_and_every_metric() -> None:
    text = files("envledger.disclosure").joinpath("labels.yaml").read_text(encoding="utf-8")
    tables = yaml.safe_load(text)
    assert set(tables) == set(LANGUAGES)
    assert set(tables["en"]) == set(tables["zh-CN"])
    for language in LANGUAGES:
        t = Labels(language)
        for kind, metrics in COMPANY_METRICS.items():
            for metric in metrics:
                assert t(f"metric.{kind}.{metric}")
            assert t(f"section.{kind}")
        for indicator in INDICATORS:
            assert t(f"metric.intensity.{indicator}")
        for carrier in shipped_carriers():
            assert t(f"metric.energy.carrier.{carrier}")
        for key in NOTE_KEYS:
            assert t(f"note.{key}")


def test_energy_by_type_metrics_are_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, "sections:\n  - kind: energy\n    metrics: [total, carrier.diesel]\n")
    block = load_template(path).sections[0]
    assert isinstance(block, FiguresBlock)
    assert block.metrics == ["total", "carrier.diesel"]


def test_units_are_displayed_per_language() -> None:
    assert Labels("en").unit("tCO2e/m2") == "tCO₂e/m²"
    assert Labels("zh-CN").unit("t/person") == "吨/人"
    assert Labels("en").unit("kgce/kWh") == "kgce/kWh"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "disclosure.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plain_string_titles_are_english(tmp_path: Path) -> None:
    path = _write(tmp_path, "sections:\n  - kind: ghg\n    title: Our emissions\n")
    block = load_template(path).sections[0]
    assert isinstance(block, FiguresBlock)
    assert block.title == {"en": "Our emissions"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sections:\n  - kind: carbon\n", ["sections[0]", "'ghg'", "'carbon'"]),
        ("sections:\n  - kind: ghg\n    metrics: [total, scope3]\n",
         ["sections[0].ghg", "unknown ghg metric 'scope3'", "scope2_location"]),
        ("sections:\n  - kind: intensity\n    groups:\n      - name: Offices\n"
         "        indicators: [energy_per_desk]\n",
         ["sections[0].intensity.groups[0].indicators[0]", "energy_per_floor_area",
          "'energy_per_desk'"]),
        ("sections:\n  - kind: energy\n    metrics: [total, carrier.coal]\n",
         ["unknown energy metric 'carrier.coal'", "carrier.<electricity|heat|natural_gas"]),
        ("sections:\n  - kind: ghg\n    colour: red\n",
         ["sections[0].ghg.colour", "Extra inputs are not permitted"]),
        ("sections:\n  - kind: ghg\n  - kind: ghg\n", ["used twice"]),
        ("sections:\n  - kind: water\n    id: lang\n", ["'lang'", "reserved"]),
        ("sections:\n  - kind: text\n    id: products\n", ["sections[0].text.title", "required"]),
        ("sections:\n  - kind: ghg\n    id: Bad Id\n", ["sections[0].ghg.id", "pattern"]),
        ("sections: []\n", ["sections", "at least 1"]),
        ("title: {fr: Bonjour}\nsections:\n  - kind: ghg\n", ["title.fr", "'en'"]),
        ("sections:\n  - kind: ghg\n   bad indent: [\n", ["not valid YAML"]),
    ],
)
def test_bad_template_names_file_key_and_expectation(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message, message


def test_missing_template_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="cannot read the template"):
        load_template(tmp_path / "absent.yaml")
