"""News text: a safe subset of Markdown turned into HTML that cannot carry a script.

markdown-it-py parses CommonMark with raw HTML off (a tag is shown as text) and refuses
javascript:, vbscript: and data: links; nh3 (the ammonia sanitiser) then keeps only the
tags and attributes below and http, https and mailto links, whatever the parser let by.
"""

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def render_markdown(text):
    """Sanitised HTML of text, a news item's Markdown (headings start at level 2: the page's
    own title is the only h1)."""
    html = _parser.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
