"""manage.py erase_candidate ID --reason "...": erase one candidate for good."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hiring.models import Candidate
from hiring.services import candidate_erase


class Command(BaseCommand):
    help = (
        "Erase a candidate (irreversible): their name, email, external ids and every text "
        "written about them go; scores, recommendations, interviewers and dates stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int, help="The candidate's id.")
        parser.add_argument("--reason", required=True, help="Why (kept on record).")

    def handle(self, *args, id, reason, **options):
        candidate = Candidate.objects.filter(pk=id).first()
        if candidate is None:
            raise CommandError(f"No candidate has the id {id}.")
        try:
            candidate = candidate_erase(candidate=candidate, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Erased candidate {id} at {candidate.erased_at.isoformat()}.")
