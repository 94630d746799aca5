"""A brief as Markdown, ready to paste into a job board: what the job is, what it asks,
the salary band and the interviews. The recruitment cost stays out (it is internal)."""

from hiring.models import Role, RoleBrief, SalaryBand


def _escape(text: str) -> str:
    """Keep a line's text from turning into Markdown structure."""
    for char in ("\\", "*", "_", "`", "#", "[", "]", "<", ">"):
        text = text.replace(char, f"\\{char}")
    return text.strip()


def brief_markdown(
    *, role: Role, brief: RoleBrief, band: SalaryBand | None, competency_names: dict
) -> str:
    title = f"# {_escape(role.title)}"
    facts = [role.get_level_display()]
    if role.team:
        facts.insert(0, f"Team: {_escape(role.team)}")
    lines = [title, "", " · ".join(facts), "", _escape(brief.summary), ""]
    lines += ["## What you will do", ""]
    lines += [f"- {_escape(line)}" for line in brief.responsibilities]
    lines += ["", "## What we are looking for", ""]
    lines += [f"- {_escape(line)}" for line in brief.requirements]
    if brief.deliverable_90_days:
        lines += ["", "## Your first 90 days", "", _escape(brief.deliverable_90_days)]
    if band is not None:
        lines += ["", "## Salary", "", f"{band.display} base salary per year."]
    lines += ["", "## How we interview", ""]
    for number, stage in enumerate(brief.interview_plan, start=1):
        focus = ", ".join(competency_names.get(key, key) for key in stage["focus_competencies"])
        lines.append(
            f"{number}. {_escape(stage['name'])} ({stage['duration_minutes']} minutes): "
            f"{_escape(focus)}"
        )
    return "\n".join(lines) + "\n"
