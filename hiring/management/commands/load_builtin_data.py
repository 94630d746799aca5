import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from hiring import services

# Natural keys make loading idempotent: a second run updates rows in place.
# A changed built-in profile ships as a new version in the fixture, never as an
# edit of a version that scorecards may already use.
BUILTIN_FIXTURES = ("profiles", "salary_bands", "intake")

# The interview kits (questions per skill, work samples per competency) have no natural
# keys: they are added to the built-in profiles where missing, never overwriting edits.
KITS_FIXTURE = settings.BASE_DIR / "fixtures" / "kits.json"


class Command(BaseCommand):
    help = (
        "Load the built-in skill profiles, salary bands, role-intake questions and interview kits."
    )

    def handle(self, *args, **options):
        call_command("loaddata", *BUILTIN_FIXTURES, verbosity=options["verbosity"])
        if not KITS_FIXTURE.exists():
            return
        try:
            created = services.kits_load_builtin(kits=json.loads(KITS_FIXTURE.read_text()))
        except (ValueError, ValidationError) as error:
            raise CommandError(f"{KITS_FIXTURE.name}: {error}") from error
        if options["verbosity"]:
            self.stdout.write(f"Interview kits: {created} questions and work samples added.")
