"""The role comparison: how a role's candidates compare, calibrated, in one read.

One read model shared by the API and the pages, in named parts:

- ``stamp``: whether it can have changed (the ETag) and who leads the role, in one query;
- ``queries``: the four queries it reads, whatever the size of the role;
- ``compute``: ``role_comparison(role)``, the comparison as a plain dict, in named steps;
- ``stats``: interviewer offsets and Krippendorff's alpha, with NumPy;
- ``export``: one CSV row per candidate;
- ``redact``: one viewer's comparison, without what independent scoring hides from them.
"""

from hiring.comparison.compute import role_comparison
from hiring.comparison.export import comparison_csv_rows
from hiring.comparison.redact import comparison_redacted
from hiring.comparison.stamp import COMPARISON_VERSION, Stamp, comparison_stamp

__all__ = [
    "COMPARISON_VERSION",
    "Stamp",
    "comparison_csv_rows",
    "comparison_redacted",
    "comparison_stamp",
    "role_comparison",
]
