"""Properties of the formula escaper of every export (``cms.spreadsheets.escape_formula``).

The contract: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
(what spreadsheets read as the start of a formula) is written with a single quote in front of it,
every other text as it is; numbers, dates and booleans are returned unchanged and ``None`` is an
empty cell. Derandomized, so CI is deterministic.
"""

import datetime
import decimal
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cms.spreadsheets import FORMULA_PREFIXES
from cms.spreadsheets import escape_formula as escape_cell

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
assert FORMULA_PREFIXES == TRIGGERS

PROPERTIES = settings(max_examples=300, derandomize=True, deadline=None, database=None)

# Text that often starts with a trigger, or with one after something harmless.
texts = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(TRIGGERS), st.text()).map("".join),
    st.tuples(st.sampled_from([" ", "'", '"', "\n", "\u00a0", "０", "＝"]), st.text()).map("".join),
    st.sampled_from(["=1+1", "+39 06 1234567", "-5", "@SUM(A1)", '=HYPERLINK("http://x")', ""]),
)


@PROPERTIES
@given(texts)
def test_text_starting_with_a_formula_character_gets_a_quote_in_front(value):
    escaped = escape_cell(value)
    if value.startswith(TRIGGERS):
        assert escaped == "'" + value
    else:
        assert escaped == value


@PROPERTIES
@given(texts)
def test_an_escaped_cell_never_starts_a_formula_and_escaping_twice_changes_nothing(value):
    escaped = escape_cell(value)
    assert isinstance(escaped, str)
    assert not escaped.startswith(TRIGGERS)
    assert escape_cell(escaped) == escaped


@PROPERTIES
@given(texts)
def test_nothing_of_the_value_is_lost(value):
    escaped = escape_cell(value)
    assert escaped.endswith(value)
    assert len(escaped) - len(value) in (0, 1)


@PROPERTIES
@given(
    st.one_of(
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        st.decimals(allow_nan=False),
        st.dates(),
        st.datetimes(),
        st.times(),
    )
)
def test_values_that_are_not_text_are_unchanged(value):
    escaped = escape_cell(value)
    assert type(escaped) is type(value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(escaped)
    else:
        assert escaped == value


def test_none_is_an_empty_cell():
    assert escape_cell(None) == ""


def test_negative_numbers_stay_numbers_but_their_text_is_escaped():
    assert escape_cell(-5) == -5
    assert escape_cell(decimal.Decimal("-1.5")) == decimal.Decimal("-1.5")
    assert escape_cell("-5") == "'-5"
    assert escape_cell(datetime.date(2026, 1, 1)) == datetime.date(2026, 1, 1)
