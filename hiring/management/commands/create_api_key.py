"""manage.py create_api_key NAME [--user EMAIL]: make an API key and print it once.

The key is the last line of the output, alone, so scripts can take it with
``tail -n 1``. Only its hash is stored.
"""

from django.core.management.base import BaseCommand, CommandError

from hiring.models import ApiKey, User
from hiring.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key. Without --user it is the ATS's integration key."

    def add_arguments(self, parser):
        parser.add_argument("name", help="A unique name saying who uses the key.")
        parser.add_argument("--user", metavar="EMAIL", help="The key acts as this user.")

    def handle(self, *args, name, user=None, **options):
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(f"An API key named {name!r} already exists.")
        person = None
        if user is not None:
            person = User.objects.with_email(user).first()
            if person is None:
                raise CommandError(f"No user has the email {user!r}.")
            if not person.is_active:
                raise CommandError(f"{person.email} is deactivated.")
        _, raw = api_key_create(name=name, user=person)
        acts_as = f"acts as {person.email}" if person else "is an integration key (the ATS)"
        self.stdout.write(f"Created API key {name!r}; it {acts_as}.")
        self.stdout.write("Copy it now: it is not shown again.")
        self.stdout.write(raw)
