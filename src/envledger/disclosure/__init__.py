"""The disclosure: template the company edits, labels, figures, notes and the site model."""

from envledger.disclosure.figures import DataSection, Figure
from envledger.disclosure.footnotes import Coefficient, Facility, Footnote, NoteFacts
from envledger.disclosure.labels import LANGUAGES, Labels, Language, localize
from envledger.disclosure.layout import Block
from envledger.disclosure.site import SiteData
from envledger.disclosure.template import DisclosureTemplate, TemplateError, load_template

__all__ = [
    "LANGUAGES",
    "Block",
    "Coefficient",
    "DataSection",
    "DisclosureTemplate",
    "Facility",
    "Figure",
    "Footnote",
    "Labels",
    "Language",
    "NoteFacts",
    "SiteData",
    "TemplateError",
    "load_template",
    "localize",
]
