"""Delete resumable uploads left unfinished or unattached for ASMHUB_UPLOAD_EXPIRY_HOURS,
with their parts in the media storage (run it on the thumbnails' timer: docs/deploy.md)."""

from django.core.management.base import BaseCommand

from resources.curation.uploads import uploads_clear_expired


class Command(BaseCommand):
    help = (
        "Delete resumable uploads untouched for ASMHUB_UPLOAD_EXPIRY_HOURS hours, and the "
        "parts they left in the media storage's temporary area (uploads-tmp/)."
    )

    def handle(self, *args, **options):
        cleared = uploads_clear_expired()
        self.stdout.write(f"Cleared {cleared} expired uploads.")
