"""Template helpers shared by every page."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def author_list(resource, limit=3):
    """Authors in order, "et al." after limit; reads the prefetched authors."""
    authors = list(resource.authors.all())
    shown = format_html_join("; ", "{}", ((a.name,) for a in authors[:limit]))
    if len(authors) > limit:
        return shown + " et al."
    return shown


@register.simple_tag(takes_context=True)
def hidden_filters(context, *exclude):
    """Hidden inputs carrying the current query string through a form, less exclude."""
    params = context["request"].GET
    return format_html_join(
        "\n",
        '<input type="hidden" name="{}" value="{}">',
        ((key, value) for key in params if key not in exclude for value in params.getlist(key)),
    )
