"""The safe Markdown subset: no raw HTML, links nofollow ugc, no script URLs, no images."""

import pytest

from discussions.markdown import quote, render


def test_raw_html_is_escaped_not_rendered():
    html = render(
        "<script>alert(1)</script> <b>grassetto</b> <a href='http://x.it' onclick='x'>z</a>"
    )
    assert "<script" not in html
    assert "<b>" not in html
    assert "<a " not in html  # the typed tag is text, not a link with an onclick
    assert "&lt;a href=" in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;grassetto&lt;/b&gt;" in html


def test_markdown_subset_renders():
    html = render("**forte** _enfasi_ `codice`\n\n* uno\n* due\n\n> citazione")
    assert "<strong>forte</strong>" in html
    assert "<em>enfasi</em>" in html
    assert "<code>codice</code>" in html
    assert "<li>uno</li>" in html
    assert "<blockquote>" in html


def test_links_are_nofollow_ugc_and_without_target():
    html = render("[AgID](https://www.agid.gov.it) e <https://www.example.it>")
    assert html.count('rel="nofollow ugc"') == 2
    assert 'href="https://www.agid.gov.it"' in html
    assert "target" not in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
    ],
)
def test_dangerous_urls_are_dropped(text):
    html = render(text)
    assert "javascript:" not in html
    assert "data:" not in html
    assert "vbscript:" not in html
    assert "href" not in html


def test_images_are_not_rendered():
    html = render("![pixel](https://tracker.example.com/p.png)")
    assert "<img" not in html


def test_code_blocks_keep_html_as_text():
    html = render("```\n<iframe src='x'></iframe>\n```")
    assert "<iframe" not in html
    assert "&lt;iframe" in html


def test_quote_prefixes_every_line():
    assert quote("prima riga\nseconda") == "> prima riga\n> seconda\n\n"
    assert "<blockquote>" in render(quote("testo citato") + "risposta")
