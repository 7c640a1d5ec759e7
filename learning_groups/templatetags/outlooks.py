"""Template helpers of the Outlooks: an indicator's value, unit and range as text."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

register = template.Library()


def number(value):
    """1000000 → "1,000,000"; 12.50 → "12.5": no spurious decimals, thousands grouped."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return intcomma(int(value))
    return intcomma(f"{value:f}".rstrip("0").rstrip("."))


@register.filter
def indicator_value(indicator):
    """The indicator as a reader sees it: value and unit, then its range if uncertain.
    A missing indicator reads "Not reported", never 0."""
    if indicator is None or indicator.is_missing:
        return _("Not reported")
    if indicator.is_text:
        return indicator.text_value
    unit = indicator.unit
    glue = "" if unit == "%" else " "
    parts = []
    if indicator.value is not None:
        parts.append(f"{number(indicator.value)}{glue}{unit}".strip())
    if indicator.low is not None and indicator.high is not None:
        span = _("range %(low)s–%(high)s") % {
            "low": number(indicator.low),
            "high": number(indicator.high),
        }
        parts.append(f"({span})" if parts else f"{span}{glue}{unit}".strip())
    elif indicator.low is not None:
        parts.append(_("at least %(low)s") % {"low": number(indicator.low)})
    elif indicator.high is not None:
        parts.append(_("at most %(high)s") % {"high": number(indicator.high)})
    return " ".join(parts)


@register.filter
def indicator_short(indicator):
    """A short label for a chart: the value and unit (or the range when there is no
    value), marked when it is a sample figure; the range itself is drawn."""
    if indicator is None or indicator.is_missing:
        return _("Not reported")
    if indicator.is_text:
        return indicator.text_value
    glue = "" if indicator.unit == "%" else " "
    if indicator.value is not None:
        text = number(indicator.value)
    else:
        text = "–".join(number(n) for n in (indicator.low, indicator.high) if n is not None)
    text = f"{text}{glue}{indicator.unit}".strip()
    return _("%(value)s (sample)") % {"value": text} if indicator.is_sample else text
