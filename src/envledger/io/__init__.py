"""Import files in and templates out: read_* takes a path, parse_* bytes, write_* a file."""

from envledger.io.activities import parse_activities, read_activities
from envledger.io.facilities import parse_facilities, read_facilities
from envledger.io.factors import parse_factors, read_factors
from envledger.io.limits import ReadLimits
from envledger.io.tables import parse_table, read_table
from envledger.io.templates import write_template

__all__ = [
    "ReadLimits",
    "parse_activities",
    "parse_facilities",
    "parse_factors",
    "parse_table",
    "read_activities",
    "read_facilities",
    "read_factors",
    "read_table",
    "write_template",
]
