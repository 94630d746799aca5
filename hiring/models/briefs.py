"""A role's brief: the job description, the cost and the interview plan, generated from
the role (``hiring.briefs``) and then edited by people."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from hiring.models.pipeline import Role
from hiring.validators import InterviewPlanValidator, TextListValidator

# The fields the generator writes and people may edit, in the order a brief reads.
BRIEF_FIELDS = (
    "summary",
    "responsibilities",
    "requirements",
    "deliverable_90_days",
    "interview_plan",
)


def plan_coverage_problems(plan: list[dict], weights: list[tuple[str, float]]) -> list[str]:
    """The coverage rule of an interview plan, given the role's (competency key, weight)
    pairs: every competency that counts (weight above 0) is the focus of at least one
    interview, and the heaviest-weighted (every one tied at the top) of at least two.
    A focus key must be a competency of the role's profile."""
    known = {key for key, _ in weights}
    counts = dict.fromkeys(known, 0)
    unknown = []
    for stage in plan:
        for key in dict.fromkeys(stage["focus_competencies"]):
            if key in counts:
                counts[key] += 1
            else:
                unknown.append(key)
    problems = [f"'{key}' is not a competency of the role's profile." for key in unknown]
    counted = [(key, weight) for key, weight in weights if weight > 0]
    top = max((weight for _, weight in counted), default=0)
    for key, weight in counted:
        needed = 2 if weight == top else 1
        if counts[key] < needed:
            times = "two interviews" if needed == 2 else "an interview"
            problems.append(
                f"'{key}' is the focus of {counts[key]} interview(s); it needs {times}"
                + (" (it is the heaviest-weighted)." if needed == 2 else ".")
            )
    return problems


class RoleBrief(models.Model):
    """One per role. ``generated`` keeps what the generator last wrote for each field of
    ``BRIEF_FIELDS``; a field whose value differs from it was edited by a person, and
    regenerating never overwrites it without their say."""

    role = models.OneToOneField(Role, on_delete=models.CASCADE, related_name="brief")
    summary = models.TextField(max_length=3000)
    responsibilities = models.JSONField(default=list, blank=True, validators=[TextListValidator()])
    requirements = models.JSONField(default=list, blank=True, validators=[TextListValidator()])
    deliverable_90_days = models.TextField(max_length=3000, blank=True)
    interview_plan = models.JSONField(default=list, validators=[InterviewPlanValidator()])
    recruitment_cost = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="What hiring for this role costs besides the salary (fees, interview "
        "time, onboarding), in the band's currency. Empty uses RECRUITMENT_COST_PER_HIRE.",
    )
    generated = models.JSONField(default=dict, editable=False)
    generated_from = models.JSONField(default=dict, editable=False)
    generated_at = models.DateTimeField(null=True, editable=False)
    row_version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Brief for {self.role.title}"

    @property
    def edited_fields(self) -> list[str]:
        """The fields a person changed from what was generated."""
        return [name for name in BRIEF_FIELDS if getattr(self, name) != self.generated.get(name)]

    def clean(self):
        if not isinstance(self.interview_plan, list) or not self.role_id:
            return
        try:
            InterviewPlanValidator()(self.interview_plan)
        except ValidationError:
            return  # reported by the field's own validator
        weights = [(c.key, w) for c, w in self.role.competency_weights()]
        problems = plan_coverage_problems(self.interview_plan, weights)
        if problems:
            raise ValidationError({"interview_plan": problems})
