"""Forms for the pages: the scorecard, its revision, the role intake, password reset.

The forms only collect input; whether a scorecard may be submitted or revised
is decided by ``hiring.services``, whose errors are mapped back onto the
fields here (``ScorecardForm.add_service_errors``).
"""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from hiring import access, selectors, services
from hiring.models import (
    HIRING_LEADS,
    DecisionValue,
    IntakeQuestion,
    Level,
    Rating,
    Recommendation,
    Scorecard,
    Skill,
    User,
)
from hiring.validators import MAX_REASON_LENGTH

NOT_ASSESSED = "na"
SCORE_CHOICES = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), (NOT_ASSESSED, "Not assessed")]


@dataclass
class SkillRow:
    """One skill of the form as the template lays it out."""

    skill: Skill
    score: BoundField
    note: BoundField
    options: list  # (radio subwidget, anchor text) pairs, the anchor shown beside the radio

    @property
    def errors(self):
        """Every message about this skill: the levels' first, then the note's."""
        return [*self.score.errors, *self.note.errors]


class ScorecardForm(forms.Form):
    """A scorecard's content: a score or "not assessed" and an evidence note per focus
    skill, the overall recommendation and a summary. Every field is optional here:
    a draft may be saved half-done, and the submission rules are the service's."""

    overall_recommendation = forms.ChoiceField(
        label="Overall recommendation",
        choices=Recommendation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What should the hiring lead know about this interview?",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, scorecard: Scorecard, skills: list[Skill], **kwargs):
        self.scorecard = scorecard
        self.skills = skills
        self.saved = {rating.skill.key: rating for rating in scorecard.ratings.all()}
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        for skill in skills:
            self.fields[self.score_name(skill)] = forms.ChoiceField(
                label=skill.name, choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[self.note_name(skill)] = forms.CharField(
                label="Evidence note",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def score_name(skill: Skill) -> str:
        return f"score-{skill.key}"

    @staticmethod
    def note_name(skill: Skill) -> str:
        return f"note-{skill.key}"

    def _initial(self) -> dict:
        card = self.scorecard
        initial = {
            "overall_recommendation": card.overall_recommendation,
            "summary": card.summary,
            "row_version": card.row_version,
        }
        for skill in self.skills:
            rating = self.saved.get(skill.key)
            if rating is not None:
                initial[self.score_name(skill)] = _score_value(rating)
                initial[self.note_name(skill)] = rating.note
        return initial

    def rows(self) -> list[SkillRow]:
        rows = []
        for skill in self.skills:
            score = self[self.score_name(skill)]
            anchors = skill.anchors
            options = [
                (option, anchors.get(int(option.data["value"]), "") if index < 4 else "")
                for index, option in enumerate(score.subwidgets)
            ]
            rows.append(SkillRow(skill, score, self[self.note_name(skill)], options))
        return rows

    def rated_count(self) -> int:
        """How many skills have a level or "not assessed" picked, as the form shows them."""
        return sum(1 for skill in self.skills if self[self.score_name(skill)].value())

    def competency_groups(self) -> list[tuple]:
        """Rows grouped under their competency, in profile order."""
        groups: list[tuple] = []
        for row in self.rows():
            competency = row.skill.competency
            if not groups or groups[-1][0] != competency:
                groups.append((competency, []))
            groups[-1][1].append(row)
        return groups

    def rating_inputs(self) -> list[services.RatingInput]:
        """Ratings to save: every skill with something entered, and every skill that
        already had a rating (so clearing a note is saved too)."""
        inputs = []
        for skill in self.skills:
            value = self.cleaned_data.get(self.score_name(skill)) or ""
            note = self.cleaned_data.get(self.note_name(skill)) or ""
            if not (value or note.strip() or skill.key in self.saved):
                continue
            inputs.append(
                services.RatingInput(
                    skill=skill.key,
                    score=int(value) if value and value != NOT_ASSESSED else None,
                    not_assessed=value == NOT_ASSESSED,
                    note=note,
                )
            )
        return inputs

    def content(self) -> dict:
        """Keyword arguments for the scorecard services."""
        return {
            "ratings": self.rating_inputs(),
            "overall_recommendation": self.cleaned_data.get("overall_recommendation") or "",
            "summary": self.cleaned_data.get("summary") or "",
            "expected_version": self.cleaned_data["row_version"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show each of the service's messages next to the field its path names."""
        by_key = {skill.key: skill for skill in self.skills}
        for path, messages in error.message_dict.items():
            field = None
            if path.startswith("ratings."):
                skill = by_key.get(path.removeprefix("ratings."))
                field = self._rating_field(skill) if skill else None
            elif path in self.fields:
                field = path
            for message in messages:
                self.add_error(field, message)

    def _rating_field(self, skill: Skill) -> str:
        """Where a skill's message goes: next to the note box when the rule that stops
        it is the missing evidence note, next to the levels otherwise."""
        value = self.cleaned_data.get(self.score_name(skill)) or ""
        score = int(value) if value.isdigit() else None
        note = self.cleaned_data.get(self.note_name(skill)) or ""
        needs_note = services.rating_needs_note(score=score, note=note)
        return self.note_name(skill) if needs_note else self.score_name(skill)

    def set_version(self, version: int) -> None:
        """Re-render with this row version (after the input was saved or found stale)."""
        data = self.data.copy()
        data["row_version"] = str(version)
        self.data = data


class ReviseForm(ScorecardForm):
    reason = forms.CharField(
        label="Reason for the correction",
        required=False,  # the service says when it is missing
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the previous version, for the hiring lead to see.",
    )

    def content(self) -> dict:
        return {**super().content(), "reason": self.cleaned_data.get("reason") or ""}


def _score_value(rating: Rating) -> str:
    if rating.not_assessed:
        return NOT_ASSESSED
    return str(rating.score) if rating.score else ""


class InvitationAwarePasswordResetForm(PasswordResetForm):
    """Password reset that also reaches invited interviewers.

    People invited to a panel (``services.users_get_or_invite``) have no usable
    password yet, and Django's form skips such users; this is how they set one.
    """

    def get_users(self, email):
        return User.objects.with_email(email).filter(is_active=True)


# ---------------------------------------------------------------------------
# Role intake
# ---------------------------------------------------------------------------

ANSWER_PREFIX = "answers."


class IntakeForm(forms.Form):
    """One radio group per question (built from the data), plus the level."""

    level = forms.ChoiceField(choices=Level.choices, initial=Level.MID)

    def __init__(self, *args, questions: list[IntakeQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[ANSWER_PREFIX + question.key] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=[(answer.key, answer.text) for answer in question.answers.all()],
                widget=forms.RadioSelect,
                required=False,
            )

    def question_fields(self):
        return [self[ANSWER_PREFIX + question.key] for question in self.questions]

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix(ANSWER_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(ANSWER_PREFIX) and value
        }


class CreateRolesForm(forms.Form):
    title = forms.CharField(
        max_length=180,
        required=False,
        help_text="Leave empty to use the profile's name. With two roles, each gets its "
        "profile's name added.",
    )
    team = forms.CharField(max_length=120, required=False)
    hiring_lead = forms.ModelChoiceField(queryset=User.objects.none(), required=True)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if access.may_lead_for_others(actor):
            self.fields["hiring_lead"].queryset = (
                selectors.active_users().filter(groups__name=HIRING_LEADS).order_by("email")
            )
            self.fields["hiring_lead"].label_from_instance = lambda user: (
                f"{user.full_name} ({user.email})" if user.full_name else user.email
            )
        else:
            # A hiring lead creates the roles they lead: no choice to offer.
            del self.fields["hiring_lead"]

    def add_service_errors(self, error: ValidationError, intake_form: IntakeForm) -> None:
        for path, messages in error.message_dict.items():
            if path.startswith(ANSWER_PREFIX) and path in intake_form.fields:
                intake_form.add_error(path, messages)
            else:
                self.add_error(path if path in self.fields else None, messages)


class DecisionForm(forms.Form):
    """A hiring decision; the override rule is the service's (``services.decision_record``)."""

    decision = forms.ChoiceField(
        choices=DecisionValue.choices, widget=forms.RadioSelect, label="Decision"
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON_LENGTH,
        label="Rationale",
        help_text="Why: what the decision rests on.",
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_REASON_LENGTH,
        required=False,
        label="Override reason",
        help_text="Required when the decision goes against most of the submitted "
        "recommendations, or while scorecards are pending.",
    )

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


# ---------------------------------------------------------------------------
# The role brief
# ---------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def plan_as_text(plan: list[dict]) -> str:
    """The interview plan, one interview a line: key | name | minutes | focus keys."""
    return "\n".join(
        f"{s['key']} | {s['name']} | {s['duration_minutes']} | {', '.join(s['focus_competencies'])}"
        for s in plan
    )


def plan_from_text(text: str) -> list[dict]:
    plan = []
    for number, line in enumerate(_lines(text), start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or not parts[2].isdigit():
            raise ValidationError(
                f"Line {number}: write key | name | minutes | focus keys, separated by commas."
            )
        key, name, minutes, focus = parts
        plan.append(
            {
                "key": key,
                "name": name,
                "duration_minutes": int(minutes),
                "focus_competencies": [k.strip() for k in focus.split(",") if k.strip()],
            }
        )
    return plan


class BriefForm(forms.Form):
    """A person's edit of a role brief; the rules are the model's (``RoleBrief``)."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=3000)
    responsibilities = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), help_text="One a line."
    )
    requirements = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), help_text="One a line."
    )
    deliverable_90_days = forms.CharField(
        label="Deliverable in the first 90 days",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    interview_plan = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}),
        help_text="One interview a line: "
        "<code>key | name | minutes | focus competency keys</code>. Every competency "
        "needs an interview; the heaviest-weighted need two.",
    )
    recruitment_cost = forms.IntegerField(
        label="Recruitment cost per hire",
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text="Fees, interview time and onboarding, in the band's currency. Empty uses "
        "the service's setting.",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_from(cls, brief) -> dict:
        return {
            "summary": brief.summary,
            "responsibilities": "\n".join(brief.responsibilities),
            "requirements": "\n".join(brief.requirements),
            "deliverable_90_days": brief.deliverable_90_days,
            "interview_plan": plan_as_text(brief.interview_plan),
            "recruitment_cost": brief.recruitment_cost,
            "row_version": brief.row_version,
        }

    def clean_responsibilities(self):
        return _lines(self.cleaned_data["responsibilities"])

    def clean_requirements(self):
        return _lines(self.cleaned_data["requirements"])

    def clean_interview_plan(self):
        return plan_from_text(self.cleaned_data["interview_plan"])

    def brief_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "row_version"}

    def add_service_errors(self, error: ValidationError) -> None:
        for path, messages in error.message_dict.items():
            for message in messages:
                self.add_error(path if path in self.fields else None, message)
