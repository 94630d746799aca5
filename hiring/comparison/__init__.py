"""The role comparison: how a role's candidates compare, calibrated, in one read.

One read model shared by the API and the pages, in named parts:

- ``stamp``: whether it can have changed (the ETag) and who leads the role, in one query;
- ``queries``: the four queries it reads, whatever the size of the role;
- ``compute``: ``role_comparison(role)``, the comparison as a plain dict, in named steps;
- ``stats``: interviewer offsets and Krippendorff's alpha, with NumPy;
- ``export``: the JSON and the CSV (one row per candidate) the API sends;
- ``cache``: ``comparison_for_role(role)``, the computed comparison shared by every
  server process, kept beside its JSON and CSV bytes (``comparison_rendered``), and its
  refresh by the background worker;
- ``redact``: one viewer's comparison, without what independent scoring hides from them
  (applied to what the cache gives, so one computation serves every viewer).
"""

from hiring.comparison.cache import (
    Comparison,
    Rendered,
    comparison_for_role,
    comparison_forget,
    comparison_page_keep,
    comparison_page_kept,
    comparison_refresh_due,
    comparison_refresh_request,
    comparison_rendered,
)
from hiring.comparison.compute import role_comparison
from hiring.comparison.export import comparison_csv, comparison_csv_rows, comparison_json
from hiring.comparison.redact import comparison_redacted
from hiring.comparison.stamp import COMPARISON_VERSION, Stamp, comparison_stamp

__all__ = [
    "COMPARISON_VERSION",
    "Comparison",
    "Rendered",
    "Stamp",
    "comparison_csv",
    "comparison_csv_rows",
    "comparison_for_role",
    "comparison_forget",
    "comparison_json",
    "comparison_page_keep",
    "comparison_page_kept",
    "comparison_redacted",
    "comparison_refresh_due",
    "comparison_refresh_request",
    "comparison_rendered",
    "comparison_stamp",
    "role_comparison",
]
