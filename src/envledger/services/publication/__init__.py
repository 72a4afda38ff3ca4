"""Published figures: snapshots, restatements, the base year and the site's data.

Owns ``publishing`` (freeze a year, restate with a reason), ``snapshot_content`` (what a
snapshot holds and its hash), ``snapshot_diff`` (original beside revised figures),
``base_year`` (check and recalculation policy) and ``site_data`` (the disclosure site
built from published snapshots only). Imports ``commitments`` and below.
"""
