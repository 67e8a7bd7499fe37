"""Properties of the discussions' Markdown renderer (``discussions.markdown``), for any input.

Whatever a member types, the HTML rendered from it holds only the allowed tags and attributes, no
event handler, no script or other non-web URL, every link ``rel="nofollow ugc"``; rendering never
raises, is deterministic, and its output is a fixed point of the sanitiser (cleaning it again
changes nothing). Hypothesis draws from arbitrary text and from a mix of Markdown, HTML and URL
fragments that attacks are made of; the run is derandomized, so CI is deterministic.
"""

import re
from html.parser import HTMLParser

import nh3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discussions.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    quote,
    render,
)

PROPERTIES = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# What attacks and odd Markdown are made of.
FRAGMENTS = [
    "[",
    "](",
    ")",
    "<",
    ">",
    "</",
    "/>",
    '"',
    "'",
    "`",
    "```",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "*",
    "**",
    "_",
    "> ",
    "- ",
    "1. ",
    "# ",
    "---",
    "&",
    "&#",
    ";",
    ":",
    "=",
    "\\",
    "\x00",
    "http://",
    "https://example.it/a?b=1&c=2",
    "mailto:x@example.it",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "java&#x09;script:",
    "&#106;avascript:",
    "&#x6A;avascript:alert(1)",
    "vbscript:",
    "data:text/html;base64,PHNjcmlwdD4=",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=",
    "onclick=",
    " onmouseover='x'",
    "<svg onload=alert(1)>",
    "<iframe src=",
    "<style>",
    "<!--",
    "-->",
    "<https://example.it>",
    "<javascript:alert(1)>",
    "![x](",
    "[x]: ",
    "[x][x]",
    "{: onclick=x}",
    "\u202e",
    "\ufeff",
    "città",
]

markdownish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map(
    "".join
)
any_text = st.one_of(st.text(), markdownish)


class _Collector(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html):
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.tags


SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# What browsers ignore inside a URL's scheme (whitespace and control characters).
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url):
    match = SCHEME.match(IGNORED_IN_SCHEME.sub("", url))
    return match[1].lower() if match else None


@PROPERTIES
@given(any_text)
def test_only_allowed_tags_and_attributes_no_handlers_no_script_urls(text):
    html = render(text)
    assert "<script" not in html.lower()
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
        if tag == "a":
            assert attrs.get("rel") == "nofollow ugc", attrs
            href = attrs.get("href") or ""
            scheme = scheme_of(href)
            assert scheme is None or scheme in URL_SCHEMES, href
            assert "javascript" not in IGNORED_IN_SCHEME.sub("", href).lower()


@PROPERTIES
@given(any_text)
def test_rendering_is_deterministic_and_a_fixed_point_of_the_sanitiser(text):
    html = render(text)
    assert render(text) == html
    again = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc",
    )
    assert again == html


@PROPERTIES
@given(any_text)
def test_typed_html_never_becomes_markup(text):
    """Raw HTML is escaped: a tag name typed by the member never appears as an element unless
    Markdown itself produces it (only the allowed ones)."""
    for tag, _attrs in tags_of(render(text)):
        assert tag in ALLOWED_TAGS


@PROPERTIES
@given(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), any_text)
def test_quoting_a_reply_makes_a_block_quote(words, text):
    """The "Quote" button's text renders as a block quote whatever the quoted reply holds."""
    assert "<blockquote>" in render(quote(words + " " + text) + "risposta")


@PROPERTIES
@given(
    st.sampled_from(["http", "https", "mailto"]),
    st.from_regex(r"[a-z0-9.]{1,20}", fullmatch=True),
)
def test_web_links_survive_with_nofollow(scheme, rest):
    target = f"{scheme}:{'' if scheme == 'mailto' else '//'}{rest}"
    html = render(f"[link]({target})")
    anchors = [attrs for tag, attrs in tags_of(html) if tag == "a"]
    assert anchors == [{"href": target, "rel": "nofollow ugc"}]
