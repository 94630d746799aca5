"""The comparison's ETag: what it depends on, hashed from one query."""

import hashlib
import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import OuterRef, Q, QuerySet

from hiring.comparison.queries import Aggregated, Joined, Text, scalar
from hiring.models import (
    Application,
    Competency,
    Role,
    Scorecard,
    ScorecardStatus,
    Skill,
    SkillProfile,
    User,
)

# Bump when the computation or the dict's shape changes, so no cache or client
# keeps a result computed by older code.
COMPARISON_VERSION = 3


@dataclass(frozen=True)
class Stamp:
    role_id: int
    hiring_lead_id: int
    etag: str  # quoted: the fingerprint of everything the comparison reads

    def etag_for(self, format_: str) -> str:
        """The ETag header of the comparison rendered in this format (json, csv)."""
        return f'"{self.etag.strip(chr(34))}-{format_}"'


# The stamp query is compiled once per database: building and compiling this
# many subqueries costs more than running them. The role id is a parameter.
_ROLE_ID_PLACEHOLDER = -7_340_017
_stamp_sql: dict[str, tuple[str, tuple]] = {}


def _stamp_queryset() -> QuerySet:
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    applications = Application.objects.filter(role=OuterRef("pk"))
    role_cards = Scorecard.objects.filter(interview__application__role=OuterRef("pk"))
    all_submitted = Scorecard.objects.filter(submitted)
    panel_ids = Scorecard.objects.filter(
        submitted, interview__application__role=OuterRef(OuterRef("pk"))
    ).values("interviewer_id")
    return (
        Role.objects.filter(pk=_ROLE_ID_PLACEHOLDER)
        .order_by()
        .annotate(
            profile_text=scalar(
                SkillProfile.objects.filter(pk=OuterRef("profile_id")),
                Text("slug", "version", "name"),
            ),
            competencies=scalar(
                Competency.objects.filter(profile=OuterRef("profile_id")),
                Joined(Text("id", "key", "name", "weight", "order"), ordered=True),
            ),
            skills=scalar(
                Skill.objects.filter(competency__profile=OuterRef("profile_id")),
                Joined(Text("id", "key", "name", "competency_id", "order"), ordered=True),
            ),
            applications_n=scalar(applications, Aggregated("id", "COUNT")),
            applications_at=scalar(applications, Aggregated("updated_at", "MAX")),
            candidates_at=scalar(applications, Aggregated("candidate__updated_at", "MAX")),
            # The role's submitted scorecards are among all submitted ones below.
            drafts_n=scalar(role_cards.exclude(submitted), Aggregated("id", "COUNT")),
            # Offsets draw on the panel's scorecards in every role.
            submitted_n=scalar(all_submitted, Aggregated("id", "COUNT")),
            submitted_at=scalar(all_submitted, Aggregated("updated_at", "MAX")),
            panel=scalar(
                User.objects.filter(pk__in=panel_ids),
                Joined(Text("id", "email", "full_name"), ordered=True),
            ),
        )
        .values_list(
            "hiring_lead_id",
            "profile_id",
            "updated_at",
            "weight_overrides",
            "profile_text",
            "competencies",
            "skills",
            "applications_n",
            "applications_at",
            "candidates_at",
            "drafts_n",
            "submitted_n",
            "submitted_at",
            "panel",
        )
    )


def comparison_stamp(role_id: int, *, using: str = "default") -> Stamp | None:
    """The role's hiring lead and the comparison's ETag; None when there is no such role.

    One query. The ETag hashes everything the comparison reads: the role row
    (``updated_at`` moves on every save), its profile, competencies and skills,
    its applications and candidates, its scorecards, the panel's names, and
    every submitted scorecard anywhere (interviewer offsets are estimated
    across roles). Scorecards and their ratings change only through the
    services, which bump ``Scorecard.updated_at``.
    """
    if using not in _stamp_sql:
        _stamp_sql[using] = _stamp_queryset().query.get_compiler(using).as_sql()
    sql, params = _stamp_sql[using]
    params = tuple(role_id if p == _ROLE_ID_PLACEHOLDER else p for p in params)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    fingerprint = json.dumps([COMPARISON_VERSION, role_id, *row], default=str).encode()
    return Stamp(
        role_id=role_id,
        hiring_lead_id=row[0],
        etag=f'"{hashlib.sha256(fingerprint).hexdigest()[:40]}"',
    )
