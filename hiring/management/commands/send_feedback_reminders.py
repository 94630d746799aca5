"""Email interviewers whose feedback is pending and announce overdue scorecards
(``hiring.services.reminders``). Safe to run from cron on several machines at once."""

from django.core.management.base import BaseCommand

from hiring import services


class Command(BaseCommand):
    help = (
        "Remind interviewers by email of draft scorecards (an hour after the interview, "
        "then daily, for FEEDBACK_REMINDER_DAYS) and emit scorecard.overdue once per "
        "scorecard past its due date."
    )

    def handle(self, *args, **options):
        run = services.feedback_reminders_send()
        self.stdout.write(
            f"Sent {len(run.reminded)} reminders"
            + (f" ({len(run.failed)} failed: tried again next run)" if run.failed else "")
            + f"; {len(run.overdue)} scorecards newly overdue."
        )
