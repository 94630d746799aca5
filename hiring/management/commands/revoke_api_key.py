"""manage.py revoke_api_key NAME: the key stops working at once."""

from django.core.management.base import BaseCommand, CommandError

from hiring.services import api_key_revoke


class Command(BaseCommand):
    help = "Revoke an API key by name."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        if not api_key_revoke(name=name):
            raise CommandError(f"No active API key is named {name!r}.")
        self.stdout.write(f"Revoked API key {name!r}.")
