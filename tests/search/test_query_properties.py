"""Properties of the search query parser (``search.text``), for any input.

What a visitor types becomes plain words for the backend (``clean_query``): it never raises, keeps
no operator, quote, punctuation or control character, stays within 12 words and 200 characters,
and cleaning twice changes nothing; what is shown back (``shown_query``) is one line without
control characters, at most 2,000 characters. Snippets escape everything but their ``<mark>``.
Derandomized, so CI is deterministic.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import text

PROPERTIES = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

OPERATORS = ["AND", "OR", "NOT", "NEAR", "and", "or", "not", "Near"]
SYNTAX = ['"', "'", "’", "(", ")", "-", "+", "*", "~", ":", "^", "|", "&", "!", "\\", "/", "_"]
# Words that contain operators, so that a cut may leave one.
TRICKY_WORDS = ["ANDROID", "ORARIO", "NOTIZIE", "NEARBY", "ORDINE", "NOTA", "andare", "oro"]
word = st.from_regex(r"[a-z0-9àèéìòù]{1,12}", fullmatch=True)
# Queries near the length limit, where cutting may split a word.
long_words = st.lists(
    st.one_of(st.from_regex(r"[a-z\-_]{8,40}", fullmatch=True), st.sampled_from(TRICKY_WORDS)),
    min_size=1,
    max_size=16,
).map(" ".join)

queryish = st.lists(
    st.one_of(
        word,
        st.sampled_from(OPERATORS + SYNTAX + TRICKY_WORDS + [" ", "  ", "\t", "\n", "\x00"]),
        st.text(max_size=4),
    ),
    max_size=120,
).map(" ".join)


def at_the_limit(limit):
    """A word ending just before ``limit`` characters, then words that the limit may cut."""
    return st.builds(
        lambda n, rest: "x" * n + " " + " ".join(rest),
        st.integers(limit - 12, limit),
        st.lists(st.sampled_from([*TRICKY_WORDS, "b"]), min_size=1, max_size=3),
    )


any_query = st.one_of(
    at_the_limit(text.MAX_QUERY_LENGTH),
    at_the_limit(text.MAX_SHOWN_LENGTH),
    st.text(),
    st.text(min_size=150, max_size=3000),
    queryish,
    long_words,
    st.text(max_size=3000),
)

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@PROPERTIES
@given(any_query)
def test_clean_query_is_plain_bounded_words(raw):
    cleaned = text.clean_query(raw)
    assert isinstance(cleaned, str)
    assert len(cleaned) <= text.MAX_QUERY_LENGTH
    words = cleaned.split(" ")
    assert cleaned == "" or all(words), cleaned  # single spaces, no leading/trailing space
    assert len([w for w in words if w]) <= text.MAX_TERMS
    assert not CONTROL.search(cleaned)
    assert not text.NON_WORD.search(cleaned)  # no quotes, brackets, operators' symbols
    assert "'" not in cleaned and "’" not in cleaned
    assert not any(w.upper() in text.OPERATORS for w in words), cleaned


@PROPERTIES
@given(any_query)
def test_clean_query_is_idempotent(raw):
    cleaned = text.clean_query(raw)
    assert text.clean_query(cleaned) == cleaned


@PROPERTIES
@given(st.lists(word, min_size=1, max_size=text.MAX_TERMS), st.data())
def test_quotes_and_operators_around_words_leave_the_words(words, data):
    """A query built from words with quotes, brackets and operators between them searches
    exactly those words, in order."""
    parts = []
    for w in words:
        parts.append(data.draw(st.sampled_from(["", '"', "(", "+", "-", " "])) + w)
        parts.append(data.draw(st.sampled_from(["", '"', ")", "*", "~"])))
        parts.append(data.draw(st.sampled_from([" ", " AND ", " OR ", " NOT ", " NEAR ", " | "])))
    expected = " ".join(w for w in words if w.upper() not in text.OPERATORS)
    assert text.clean_query("".join(parts)) == expected[: text.MAX_QUERY_LENGTH].strip()


@PROPERTIES
@given(any_query)
def test_shown_query_is_one_clean_bounded_line_and_stable(raw):
    shown = text.shown_query(raw)
    assert len(shown) <= text.MAX_SHOWN_LENGTH
    assert not CONTROL.search(shown)
    assert shown == shown.strip()
    assert text.shown_query(shown) == shown


@PROPERTIES
@given(any_query)
def test_loosened_query_keeps_a_prefix_of_every_term(raw):
    query = text.clean_query(raw)
    terms = text.terms_of(query)
    loose = text.loosened(query).split()
    assert len(loose) == len(terms)
    assert all(term.startswith(part) and part for term, part in zip(terms, loose, strict=True))


@PROPERTIES
@given(st.one_of(st.text(), queryish), any_query)
def test_snippet_escapes_everything_but_its_marks(body, raw):
    html = text.snippet(body, text.clean_query(raw))
    bare = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in bare and ">" not in bare
    assert html.count("<mark>") == html.count("</mark>")


search_parameters = st.fixed_dictionaries(
    {"q": any_query},
    optional={
        "tag": st.text(max_size=200),
        "type": st.one_of(st.sampled_from(["news", "topic", "reply", "faq"]), st.text(max_size=30)),
        "sort": st.one_of(st.sampled_from(["relevance", "date"]), st.text(max_size=10)),
        "page": st.one_of(st.integers().map(str), st.text(max_size=10)),
        "lang": st.one_of(st.sampled_from(["it", "en"]), st.text(max_size=5)),
    },
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=search_parameters, path=st.sampled_from(["/api/search/", "/api/search/autocomplete/"])
)
def test_search_api_answers_any_query(client, site_tree, params, path):
    """End to end: the JSON search and its suggestions answer 200 whatever was typed, in any
    parameter (the database searched)."""
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert len(response.json()["query"]) <= text.MAX_SHOWN_LENGTH
