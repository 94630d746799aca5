"""manage.py apply_retention [--dry-run]: erase the candidates kept longer than
CANDIDATE_RETENTION_DAYS after their last application closed (the worker runs it daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from hiring.services import candidates_apply_retention, candidates_due_for_retention


class Command(BaseCommand):
    help = (
        "Erase (reason 'retention') every candidate whose applications all closed more "
        "than CANDIDATE_RETENTION_DAYS ago. Does nothing while the setting is unset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be erased; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        days = settings.CANDIDATE_RETENTION_DAYS
        if days is None:
            self.stdout.write("CANDIDATE_RETENTION_DAYS is unset: candidates are kept for ever.")
            return
        if dry_run:
            due = list(candidates_due_for_retention())
            for candidate in due:
                self.stdout.write(
                    f"Would erase candidate {candidate.pk} ({candidate}), closed since "
                    f"{candidate.closed_since:%Y-%m-%d}."
                )
            self.stdout.write(f"{len(due)} candidate(s) would be erased (older than {days} days).")
            return
        erased = candidates_apply_retention()
        for pk in erased:
            self.stdout.write(f"Erased candidate {pk}.")
        self.stdout.write(f"{len(erased)} candidate(s) erased (older than {days} days).")
