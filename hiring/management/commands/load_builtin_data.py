import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hiring import services

# The built-in data, in the order it loads (a competency needs its profile first).
# Every row is named by its natural key, so a row that exists is found by it.
BUILTIN_FIXTURES = ("profiles", "salary_bands", "intake")

# The interview kits (questions per skill, work samples per competency) have no natural
# keys: they are added to the built-in profiles where a skill has no questions or a
# competency no work samples (``services.kits_load_builtin``), never over edits.
KITS_FIXTURE = Path(settings.FIXTURE_DIRS[0]) / "kits.json"


class Command(BaseCommand):
    help = (
        "Create the built-in skill profiles, salary bands, role-intake questions and "
        "interview kits that are missing. Rows that exist are left as they are: an edit "
        "made in the admin stays, and running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        created = sum(self.create_missing(name) for name in BUILTIN_FIXTURES)
        kits = self.create_missing_kits()
        if options["verbosity"]:
            self.stdout.write(f"Built-in data: {created} missing rows created.")
            self.stdout.write(f"Interview kits: {kits} missing questions and work samples created.")

    def create_missing(self, name: str) -> int:
        """Save the rows of fixture ``name`` whose natural key no row has yet.

        The deserializer looks each row up by its natural key and gives it the
        existing primary key when found: those are skipped, never written over
        (a changed built-in profile ships as a new version, not as an edit)."""
        created = 0
        with open(Path(settings.FIXTURE_DIRS[0]) / f"{name}.json", encoding="utf-8") as fixture:
            for row in serializers.deserialize("json", fixture):
                if row.object.pk is None:
                    row.save()
                    created += 1
        return created

    def create_missing_kits(self) -> int:
        try:
            kits = json.loads(KITS_FIXTURE.read_text(encoding="utf-8"))
            return services.kits_load_builtin(kits=kits)
        except (ValueError, ValidationError) as error:
            raise CommandError(f"{KITS_FIXTURE.name}: {error}") from error
