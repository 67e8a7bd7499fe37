"""Query cleaning and result snippets (plain Python: the same on every backend)."""

from __future__ import annotations

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

#: The longest query searched; longer input is cut (and the visitor told so).
MAX_QUERY_LENGTH = 200
#: What is kept of what was typed, to show it back: nothing typed is lost, within reason.
MAX_SHOWN_LENGTH = 2000
MAX_TERMS = 12
SNIPPET_WORDS = 30

# Full-text backends give operators and punctuation their own meaning; visitors mean words.
NON_WORD = re.compile(r"[^\w\s'’-]+", re.UNICODE)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def shown_query(raw: str) -> str:
    """What the visitor typed, as it is shown back: no control characters, one line."""
    return " ".join(CONTROL.sub(" ", raw or "").split())[:MAX_SHOWN_LENGTH].rstrip()


def clean_query(raw: str) -> str:
    """What the visitor typed, as plain words: no operators, control characters or excess."""
    text = NON_WORD.sub(" ", CONTROL.sub(" ", raw or ""))
    words = [w.strip("'’-_") for w in re.split(r"[\s'’]+", text)]
    words = [w for w in words if w and w.upper() not in OPERATORS][:MAX_TERMS]
    # Whole words within the limit: a word cut at the limit could read as an operator ("NOT" of
    # "NOTIZIE"). Only a first word longer than the limit is cut.
    kept, length = [], -1
    for word in words:
        length += 1 + len(word)
        if length > MAX_QUERY_LENGTH:
            break
        kept.append(word)
    if not kept and words:
        return words[0][:MAX_QUERY_LENGTH].rstrip("'’-_")
    return " ".join(kept)


def terms_of(query: str) -> list[str]:
    return [t for t in re.split(r"[\s-]+", query.lower()) if t]


def loosened(query: str) -> str:
    """The query with each word cut to its first part, for the typo-tolerant second try
    (prefix search): "cybersicurezzza" → "cybersicur"."""
    parts = []
    for term in terms_of(query):
        keep = max(3, (len(term) * 2 + 2) // 3)
        parts.append(term[:keep] if len(term) > 4 else term)
    return " ".join(parts)


def searchable_text(obj) -> str:
    """The plain text of ``obj``'s search fields (except the title): what the snippet shows."""
    parts = []
    for field in obj.get_searchable_search_fields():
        if field.field_name == "title":
            continue
        value = field.get_value(obj)  # StreamFields give their searchable content already
        if not value:
            continue
        if isinstance(value, list | tuple):
            parts.extend(str(item) for item in value)
        else:
            parts.append(str(value))
    return " ".join(" ".join(strip_tags(part).split()) for part in parts if part)


def _stem(term: str) -> str:
    """A crude stem for highlighting: "comuni"/"comune" both match "comun"."""
    return term[: max(3, len(term) - 2)] if len(term) > 4 else term


def snippet(text: str, query: str, words: int = SNIPPET_WORDS) -> SafeString:
    """About ``words`` words of ``text`` around the first match, matches in ``<mark>``, escaped."""
    tokens = text.split()
    if not tokens:
        return mark_safe("")  # noqa: S308 - empty
    stems = [_stem(t) for t in terms_of(query)]
    pattern = (
        re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)
        if stems
        else None
    )
    first = 0
    if pattern is not None:
        for index, token in enumerate(tokens):
            if pattern.search(token):
                first = index
                break
    start = max(0, first - words // 3)
    window = tokens[start : start + words]
    joined = " ".join(window)
    pieces, last = [], 0
    if pattern is not None:
        for match in pattern.finditer(joined):
            pieces += [
                escape(joined[last : match.start()]),
                f"<mark>{escape(match.group(0))}</mark>",
            ]
            last = match.end()
    pieces.append(escape(joined[last:]))
    out = "".join(pieces)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + words < len(tokens) else ""
    return mark_safe(prefix + out + suffix)  # noqa: S308 - escaped above


def plain(snippet_html: str) -> str:
    return strip_tags(snippet_html)
