"""Give the Partners and Curators groups exactly their permissions (idempotent)."""

from django.core.management.base import BaseCommand

from resources.curation.roles import sync_roles


class Command(BaseCommand):
    help = "Create the Partners and Curators groups and give each exactly its permissions."

    def handle(self, *args, **options):
        for group, (added, removed) in sync_roles().items():
            self.stdout.write(f"{group}: {added} permissions granted, {removed} withdrawn.")
