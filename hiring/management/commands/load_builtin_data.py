from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

# The built-in data, in the order it loads (a competency needs its profile first).
# Every row is named by its natural key, so a row that exists is found by it.
BUILTIN_FIXTURES = ("profiles", "salary_bands", "intake")


class Command(BaseCommand):
    help = (
        "Create the built-in skill profiles, salary bands and role-intake questions that "
        "are missing. Rows that exist are left as they are: an edit made in the admin "
        "stays, and running it again changes nothing."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        created = sum(self.create_missing(name) for name in BUILTIN_FIXTURES)
        if options["verbosity"]:
            self.stdout.write(f"Built-in data: {created} missing rows created.")

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
