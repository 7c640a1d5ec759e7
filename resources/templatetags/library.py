"""What a result row says about a resource before anyone taps it: its language, what
following it costs ("PDF, 2.3 MB" or "external link") and the picture of its first
page. Reads the same names on a Resource and on a ListedResource (resources/listing.py),
so no query either way."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

from resources import labels
from resources.models import safe_extension
from resources.pictures import logo_url, thumbnail_url

register = template.Library()


@register.filter
def language_label(code):
    """The name of a resource's language in the reader's language."""
    return labels.language_label(code)


@register.simple_tag
def file_facts(resource):
    """ "PDF, 2.3 MB" for a resource with a file (its format alone when the size is not
    known), "external link" for one that only links elsewhere, else nothing."""
    name = getattr(resource.file, "name", resource.file) or ""
    if name:
        extension = safe_extension(name).lstrip(".").upper() or _("file")
        if resource.file_size:
            return f"{extension}, {filesizeformat(resource.file_size)}"
        return extension
    if resource.external_url:
        return _("external link")
    return ""


@register.simple_tag
def thumbnail(resource, scale=2):
    """The <img> of resource's first page, lazily loaded, at 1/scale of its pixel size
    (2 in a result row: sharp on a phone's dense screen), or nothing without one."""
    url = thumbnail_url(resource)
    if not url:
        return ""
    return format_html(
        '<img class="thumbnail" src="{}" width="{}" height="{}" alt="{}" loading="lazy"'
        ' decoding="async">',
        url,
        resource.thumbnail_width // scale,
        resource.thumbnail_height // scale,
        _("First page of “%(title)s”") % {"title": resource.title},
    )


@register.simple_tag
def organisation_logo(organisation):
    """An organisation's logo at half its pixel size, beside its name (so no alt text of
    its own), or nothing without one."""
    url = logo_url(organisation) if organisation else ""
    if not url:
        return ""
    return format_html(
        '<img class="org-logo" src="{}" width="{}" height="{}" alt="" loading="lazy"'
        ' decoding="async">',
        url,
        (organisation.logo_width or 0) // 2,
        (organisation.logo_height or 0) // 2,
    )
