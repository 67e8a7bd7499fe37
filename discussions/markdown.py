"""Markdown for topics and replies: a safe subset rendered on the server.

1. Markdown's raw-HTML passthrough is disabled: HTML typed by a member is escaped and shows as
   text, never as markup. Images become plain links.
2. Python-Markdown renders the subset: paragraphs, emphasis, links, lists, quotes, inline code and
   fenced code blocks, line breaks.
3. nh3 (ammonia) cleans the result with an allow-list of tags and attributes; every link gets
   ``rel="nofollow ugc"`` and only http(s)/mailto URLs survive. Images are not allowed (no
   hot-linking or tracking pixels in a reserved area).
"""

from __future__ import annotations

import markdown as _markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["fenced_code", "nl2br", "sane_lists"]


class _SafeSubset(_markdown.Extension):
    """Drop Python-Markdown's raw-HTML passthrough (HTML is escaped as text) and images."""

    def extendMarkdown(self, md):  # noqa: N802 (the library's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("image_link")
        md.inlinePatterns.deregister("image_reference")
        md.inlinePatterns.deregister("short_image_ref")


def render(text: str) -> str:
    """Safe HTML for the Markdown ``text``."""
    if not text:
        return ""
    rendered = _markdown.markdown(text, extensions=[*EXTENSIONS, _SafeSubset()])
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc",
    )


def quote(text: str) -> str:
    """``text`` as a Markdown block quote (for the "Quote" button), followed by a blank line."""
    lines = (text or "").strip().splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"
