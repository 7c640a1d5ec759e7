"""HTML escaping for text written into HTML in Python, as the template language escapes a
variable, without the lazy-string check Django's escape() makes on every call (its
keep_lazy wrapper): a library page escapes several hundred values, and that check was
a visible part of its time (docs/performance.md)."""

import html


def escaped(value):
    """value as HTML text: as it is if it is already safe (it has __html__), else escaped
    as django.utils.html.escape does (the same five characters)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
