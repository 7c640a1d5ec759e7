"""Template tags of content in several languages (core.translations), loaded in templates
as `{% load translations %}`; registered in settings.TEMPLATES, core being no app.

    {% translated group "description" as description %}
    <div lang="{{ description.language }}">{{ description|linebreaks }}</div>
    {% include "includes/_other_language.html" with text=description %}
"""

from django import template

from .translations import in_language

register = template.Library()


@register.simple_tag
def translated(record, field):
    """record's field in the reader's language where it is translated, else the original
    (a Text: its value, its language, whether that is the reader's)."""
    return in_language(record, field)
