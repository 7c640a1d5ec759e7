"""/thumbnails/<slug>.webp: the picture of a published resource's first page.

One URL in every language (a picture has none), cached by browsers for a year when asked
with the version its page gives (``?v=``), since a new file makes a new thumbnail and so a
new version; an hour otherwise.
"""

import hashlib
import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.db.models import F
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.outages import STORAGE, outage_of, unavailable_response
from resources.models import Resource

logger = logging.getLogger(__name__)

YEAR = 365 * 24 * 3600


def version_of(thumbnail):
    """A short token naming one thumbnail file."""
    return hashlib.sha256(thumbnail.encode()).hexdigest()[:10]


def thumbnail_url(resource):
    """Where resource's current thumbnail is served; "" when it has none or a stale one.
    Reads only columns a result row holds."""
    source = getattr(resource.file, "name", resource.file)
    if not resource.thumbnail or resource.thumbnail_source != source:
        return ""
    url = reverse("thumbnail", args=[resource.slug])
    return f"{url}?v={version_of(resource.thumbnail)}"


@require_safe
def thumbnail(request, slug):
    """The WebP of a published resource's current thumbnail; 404 for any other."""
    found = (
        Resource.objects.published()
        .filter(slug=slug, thumbnail_source=F("file"))
        .exclude(thumbnail="")
        .values_list("thumbnail", flat=True)
        .first()
    )
    if found is None:
        raise Http404("No thumbnail")
    storage = Resource._meta.get_field("file").storage
    try:
        response = FileResponse(storage.open(found, "rb"), content_type="image/webp")
    except (OSError, BotoCoreError, ClientError) as error:
        if outage_of(error) == STORAGE:
            return unavailable_response(STORAGE)
        logger.error("The thumbnail %s is missing from storage", found)
        raise Http404("No thumbnail") from None
    fresh = request.GET.get("v") == version_of(found)
    response["Cache-Control"] = (
        f"public, max-age={YEAR}, immutable" if fresh else "public, max-age=3600"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
