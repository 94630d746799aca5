from django.core.management import call_command
from django.core.management.base import BaseCommand

# Natural keys make loading idempotent: a second run updates rows in place.
# A changed built-in profile ships as a new version in the fixture, never as an
# edit of a version that scorecards may already use.
BUILTIN_FIXTURES = ("profiles", "salary_bands", "intake")


class Command(BaseCommand):
    help = "Load the built-in skill profiles, salary bands and role-intake questions."

    def handle(self, *args, **options):
        call_command("loaddata", *BUILTIN_FIXTURES, verbosity=options["verbosity"])
