"""/thumbnails/<slug>.webp: the picture of a published resource's first page;
/logos/<slug>.webp: an organisation's logo.

One URL in every language (a picture has none), cached by browsers for a year when asked
with the version its page gives (``?v=``), since a new file has a new name and so a new
version; an hour otherwise.
"""

import hashlib
import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.db.models import F
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from core.outages import STORAGE, outage_of, unavailable_response
from core.reversing import slug_urls
from resources.models import Organisation, Resource

logger = logging.getLogger(__name__)

YEAR = 365 * 24 * 3600


def version_of(stored):
    """A short token naming one stored picture."""
    return hashlib.sha256(stored.encode()).hexdigest()[:10]


def versioned_url(route, slug, stored, urls=None):
    """The picture's URL, with the version that lets browsers keep it for a year. urls:
    slug_urls(route), where a list of many has read it once."""
    return f"{(urls or slug_urls(route))(slug)}?v={version_of(stored)}"


# The route of a resource's thumbnail, whose one argument is the resource's slug.
THUMBNAIL_URL = "thumbnail"


def thumbnail_url(resource, urls=None):
    """Where resource's current thumbnail is served; "" when it has none or a stale one.
    Reads only columns a result row holds. urls: as versioned_url's."""
    source = getattr(resource.file, "name", resource.file)
    if not resource.thumbnail or resource.thumbnail_source != source:
        return ""
    return versioned_url(THUMBNAIL_URL, resource.slug, resource.thumbnail, urls)


@require_safe
def thumbnail(request, slug):
    """The WebP of a published resource's current thumbnail; 404 for any other."""
    published = Resource.objects.published().filter(thumbnail_source=F("file"))
    found = _stored(published, slug, "thumbnail")
    return _picture(request, found, Resource._meta.get_field("file").storage)


def logo_url(organisation):
    """Where organisation's logo is served; "" without one."""
    if not organisation.logo:
        return ""
    return versioned_url("logo", organisation.slug, organisation.logo.name)


@require_safe
def logo(request, slug):
    """An organisation's logo (cleaned and made WebP on upload: files/images.py)."""
    found = _stored(Organisation.objects.all(), slug, "logo")
    return _picture(request, found, Organisation._meta.get_field("logo").storage)


def _stored(queryset, slug, field):
    """The stored name in field of the row with slug, or None when it has none."""
    return queryset.filter(slug=slug).exclude(**{field: ""}).values_list(field, flat=True).first()


def _picture(request, found, storage):
    """The stored WebP named found, or 404 when there is none; 503 on a storage outage."""
    if found is None:
        raise Http404("No picture")
    try:
        response = FileResponse(storage.open(found, "rb"), content_type="image/webp")
    except (OSError, BotoCoreError, ClientError) as error:
        if outage_of(error) == STORAGE:
            return unavailable_response(STORAGE)
        logger.error("The picture %s is missing from storage", found)
        raise Http404("No picture") from None
    fresh = request.GET.get("v") == version_of(found)
    lifetime = f"max-age={YEAR}, immutable" if fresh else "max-age=3600"
    response["Cache-Control"] = f"public, {lifetime}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
