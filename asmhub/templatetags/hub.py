"""Template helpers shared by every page."""

import json

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core import i18n
from core.escaping import escaped

register = template.Library()


@register.simple_tag(takes_context=True)
def hidden_filters(context, *exclude):
    """Hidden inputs carrying the current query string through a form, less exclude."""
    params = context["request"].GET
    return format_html_join(
        "\n",
        '<input type="hidden" name="{}" value="{}">',
        ((key, value) for key in params if key not in exclude for value in params.getlist(key)),
    )


SELECTED = ' class="selected" aria-current="true"'


@register.simple_tag
def facet_items(items):
    """The <li> links of a facet's values (dicts of url, label, count and selected), a
    selected one marked for the eye and for screen readers. One call for a list rather
    than an include per value: a library page shows a hundred of them."""
    remove = f'<span class="visually-hidden">{escaped(gettext("Remove filter:"))} </span>'
    language = translation.get_language()
    return mark_safe(
        "".join(
            f'<li><a href="{escaped(item["url"])}" rel="nofollow"'
            f"{SELECTED if item['selected'] else ''}>{remove if item['selected'] else ''}"
            f'{escaped(item["label"])} <span class="count">'
            f"{escaped(i18n.formatted(language, intcomma, item['count']))}</span></a></li>\n"
            for item in items
        )
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """path as an absolute URL on the host the page was asked for."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def meta_tags(pairs, attribute="name"):
    """<meta> elements from (name, content) pairs; Open Graph wants attribute="property"."""
    return format_html_join(
        "\n", '<meta {}="{}" content="{}">', ((attribute, name, value) for name, value in pairs)
    )


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data):
    """A <script type="application/ld+json"> holding data, safe against "</script>"."""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def language_links(context):
    """The page in every interface language, its query string kept: dicts of code, name
    (in that language), path and whether it is the page's own; empty without a request."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    full_path = request.get_full_path()
    return [
        {
            "code": code,
            "name": i18n.local_name(code),
            "path": i18n.language_path(full_path, code),
            "current": code == current,
        }
        for code in i18n.language_codes()
    ]


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for every language of the page, and x-default."""
    request = context.get("request")
    if request is None:
        return ""
    return format_html_join(
        "\n",
        '<link rel="alternate" hreflang="{}" href="{}">',
        ((code, request.build_absolute_uri(path)) for code, path in i18n.alternates(request.path)),
    )
