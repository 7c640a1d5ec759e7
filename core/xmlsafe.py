"""Text that XML 1.0 can hold.

A title pasted from a PDF or an import can carry control characters (a vertical tab, a
form feed), and so can a search typed into a URL. XML 1.0 cannot hold them: Django's
feed writer refuses with an error (a 500 for /feeds/resources.atom?q=%01) and
ElementTree writes them, making a document no harvester can parse. Whatever goes into
the hub's XML passes through xml_safe, which drops them.
"""

import re

from django.utils.feedgenerator import Atom1Feed

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """text without the characters XML 1.0 cannot hold."""
    return _NOT_IN_XML.sub("", text) if isinstance(text, str) else text


def _safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_safe(v) for v in value)
    return value


class SafeAtom1Feed(Atom1Feed):
    """An Atom feed whose every text, of the feed and of its entries, is xml_safe, and
    whose summaries are plain text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {key: _safe(value) for key, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: _safe(value) for key, value in self.items[-1].items()}

    def add_item_elements(self, handler, item):
        # Django marks a summary type="html", so a reader would run the markup a partner
        # typed into a plain-text summary. It is sent as what it is: text.
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
