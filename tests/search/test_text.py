from search import text


def test_clean_query_keeps_words_only():
    assert text.clean_query("\" OR ( AND -- ' ; \x00") == ""
    assert text.clean_query("sicurezza AND (rete OR cloud) -- ;") == "sicurezza rete cloud"
    assert text.clean_query("l'amministrazione dell'ente") == "l amministrazione dell ente"
    assert text.clean_query("città\x00digitale") == "città digitale"
    assert text.clean_query("🔍🦆") == ""
    assert len(text.clean_query("parola " * 500)) <= text.MAX_QUERY_LENGTH


def test_shown_query_loses_nothing_but_control_characters():
    assert text.shown_query("  a\x00b  c ") == "a b c"
    assert text.shown_query("x" * 1500) == "x" * 1500


def test_snippet_highlights_escapes_and_centres_on_the_match():
    body = "<script>alert(1)</script> " + "parola " * 40 + "Il Comune di Roma e i comuni vicini"
    html = text.snippet(body, "comuni")
    assert "<script>" not in html
    assert "<mark>Comune</mark>" in html and "<mark>comuni</mark>" in html
    assert html.startswith("… ")


def test_snippet_never_breaks_entities():
    html = text.snippet("Tom & Jerry amp", "amp")
    assert "&amp;" in html and "<mark>amp</mark>" in html


def test_loosened_cuts_long_words():
    assert text.loosened("cybersicurezzza rete") == "cybersicur rete"
