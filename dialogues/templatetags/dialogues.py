"""Template helpers of the dialogues: dates in the place's own time zone."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()


def _span(start, end):
    """19–22 January 2016 · 30 April – 2 May 2015 · 30 December 2015 – 2 January 2016."""
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def date_span(dialogue):
    """The dialogue's dates as the place saw them, as plain text."""
    return _span(dialogue.local_start.date(), dialogue.local_end.date())


@register.simple_tag
def dialogue_dates(dialogue):
    """The dialogue's dates as the place saw them, in a <time> element."""
    start = dialogue.local_start.date()
    machine = dialogue.local_start.isoformat() if dialogue.times_known else start.isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, date_span(dialogue))


@register.simple_tag
def stage_dates(stage):
    """A stage's dates, a single day or a span."""
    return format_html(
        '<time datetime="{}">{}</time>',
        stage.starts_on.isoformat(),
        _span(stage.starts_on, stage.ends_on or stage.starts_on),
    )
