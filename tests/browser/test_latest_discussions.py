"""The latest discussions of a member's communities (/discussioni/) in a real browser, with
axe-core (no serious or critical violation), in Italian and in English."""

import pytest

from .conftest import axe_violations, italian, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_latest_discussions_page(page, live_server, settings):
    from tests.communities.conftest import build_world
    from tests.conftest import build_site
    from tests.discussions.conftest import build_discussions
    from tests.discussions.factories import TopicFactory

    base = live_server.url.rstrip("/")
    disc = build_discussions(build_world(build_site()))
    for number in range(25):  # more than a page: the pagination is checked too
        TopicFactory(space=disc.community, author=disc.users["designated"], title=f"Tema {number}")
    member = disc.users["wg_member"]
    sign_in_as(page, base, member)

    page.goto(f"{base}/la-mia-area/")
    page.get_by_role("link", name=italian("Latest discussions of your communities")).click()
    page.wait_for_url(f"{base}/discussioni/")
    assert page.locator("h1").inner_text() == italian("Latest discussions")
    topics = page.locator(".discussion-topics > li")
    assert topics.count() == 20
    assert disc.other_topic.title not in page.content()
    assert axe_violations(page) == []

    page.get_by_role("navigation", name=italian("Pages of topics")).get_by_role(
        "link", name="2"
    ).click()
    page.wait_for_url(f"{base}/discussioni/?page=2")
    assert page.locator(".discussion-topics > li").count() == 27 - 20
    assert axe_violations(page) == []

    page.goto(f"{base}/en/discussioni/")
    assert page.locator("h1").inner_text() == "Latest discussions"
    assert axe_violations(page) == []
