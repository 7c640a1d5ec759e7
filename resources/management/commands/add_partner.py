"""Onboard a partner in one step: a staff account attached to an organisation."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from resources.curation.services import partner_onboard
from resources.models import Organisation


class Command(BaseCommand):
    help = (
        "Create a partner account: staff, in the Partners group, attached to the organisation "
        "(slug, acronym or name). Prints a one-time password to hand over."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("organisation", help="slug, acronym or exact name")

    def handle(self, *args, username, email, organisation, **options):
        found = list(
            Organisation.objects.filter(
                Q(slug=organisation) | Q(acronym__iexact=organisation) | Q(name=organisation)
            )[:2]
        )
        if len(found) != 1:
            raise CommandError(f"No single organisation matches {organisation!r}.")
        try:
            user, password = partner_onboard(organisation=found[0], username=username, email=email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Partner {user.username} of {found[0]} created."))
        self.stdout.write(f"One-time password (ask them to change it): {password}")
