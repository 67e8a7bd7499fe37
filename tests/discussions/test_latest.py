"""/discussioni/: the latest topics of every space the member may read (issue 12), and the
discussions' dates written as the rest of the site writes them ("16 novembre 2026")."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from communities.models import Membership
from tests.communities import factories as community_factories

from .factories import ReplyFactory, TopicFactory

pytestmark = pytest.mark.django_db

LATEST = "/discussioni/"


@pytest.fixture(autouse=True)
def _italian():
    """URLs are reversed in Italian whatever a previous request left active."""
    with translation.override("it"):
        yield


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _titles(response) -> list[str]:
    return re.findall(r'<h2 class="h5 mb-1"><a href="[^"]+">([^<]+)</a></h2>', response.text)


def test_url_and_sign_in_redirect(disc):
    assert reverse("discussions:latest") == LATEST
    response = Client().get(LATEST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("membership:login"))
    assert "next=/discussioni/" in response["Location"]


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("participant", {"topic"}),
        ("designated", {"topic"}),
        ("wg_member", {"topic", "group_topic"}),
        ("coordinator", {"topic", "group_topic"}),
        ("other_member", {"other_topic"}),
        ("registered", set()),
        ("staff", set()),
    ],
)
def test_each_member_sees_the_topics_of_their_spaces(disc, column, expected):
    response = _signed_in(disc.users[column]).get(LATEST)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private") or "no-store" in response.get(
        "Cache-Control", ""
    )
    shown = set(_titles(response))
    names = {"topic": disc.topic, "group_topic": disc.group_topic, "other_topic": disc.other_topic}
    assert shown == {names[name].title for name in expected}
    if not expected:
        assert 'href="/la-mia-area/"' in response.text


def test_superuser_sees_every_topic(disc):
    admin = community_factories.StaffUserFactory(is_superuser=True)
    shown = set(_titles(_signed_in(admin).get(LATEST)))
    assert {disc.topic.title, disc.group_topic.title, disc.other_topic.title} <= shown


def test_latest_activity_first_with_the_space_and_read_state(disc):
    now = timezone.now()
    disc.topic.last_activity_at = now - datetime.timedelta(days=2)
    disc.topic.save()
    disc.group_topic.last_activity_at = now - datetime.timedelta(hours=1)
    disc.group_topic.save()
    client = _signed_in(disc.users["wg_member"])
    response = client.get(LATEST)
    assert _titles(response) == [disc.group_topic.title, disc.topic.title]
    list_url = reverse("discussions:topic_list", args=[disc.group.pk])
    assert f'<a href="{list_url}">{disc.group.title}</a>' in response.text
    assert f'<a href="{reverse("discussions:topic_list", args=[disc.community.pk])}">' in (
        response.text
    )


def test_left_community_topics_disappear(disc):
    participant = disc.users["participant"]
    client = _signed_in(participant)
    assert disc.topic.title in client.get(LATEST).text
    Membership.objects.filter(user=participant).update(left_at=timezone.now())
    assert disc.topic.title not in client.get(LATEST).text


def test_pagination_and_tag_filter(disc):
    for number in range(23):
        TopicFactory(space=disc.community, author=disc.users["designated"], title=f"Tema {number}")
    TopicFactory(
        space=disc.community, author=disc.users["designated"], title="Etichettato", tags=["cloud"]
    )
    client = _signed_in(disc.users["participant"])
    first = client.get(LATEST)
    assert len(_titles(first)) == 20
    second = client.get(LATEST, {"page": 2})
    assert len(_titles(second)) == 25 - 20
    assert client.get(LATEST, {"page": "zzz"}).status_code == 200
    tagged = client.get(LATEST, {"tag": "cloud"})
    assert _titles(tagged) == ["Etichettato"]


def _add_topics(disc, count):
    for number in range(count):
        space = disc.group if number % 2 else disc.community
        topic = TopicFactory(
            space=space, author=disc.users["wg_member"], title=f"T{number}", tags=[f"t{number % 3}"]
        )
        ReplyFactory(topic=topic, user=disc.users["coordinator"])


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_the_topics(disc, count, django_assert_max_num_queries):
    _add_topics(disc, count)
    client = _signed_in(disc.users["wg_member"])
    client.get(LATEST)  # warm the shared snapshots (page tree, locales, chrome)
    # Measured: 8 (session, user, roles, working groups, count, topics, tags, read markers).
    with django_assert_max_num_queries(10):
        response = client.get(LATEST)
    assert response.status_code == 200
    assert len(_titles(response)) == min(20, count + 2)


def test_english_titles_of_the_spaces_in_one_query(disc, django_assert_max_num_queries):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    home_en = disc.tree.home.copy_for_translation(english)
    home_en.save_revision().publish()
    index_en = disc.tree.communities.copy_for_translation(english)
    index_en.save_revision().publish()
    community_en = disc.community.copy_for_translation(english)
    community_en.title = "Cybersecurity"
    community_en.save_revision().publish()
    client = _signed_in(disc.users["participant"])
    response = client.get("/en/discussioni/")
    assert response.status_code == 200
    assert ">Cybersecurity</a>" in response.text
    assert "Latest discussions" in response.text


# --- Dates ---------------------------------------------------------------------------------------


def test_discussion_dates_use_lowercase_italian_month_names(disc):
    moment = timezone.make_aware(datetime.datetime(2026, 11, 16, 10, 30))
    disc.topic.created_at = disc.topic.last_activity_at = moment
    disc.topic.save()
    ReplyFactory(topic=disc.topic, user=disc.users["designated"], submit_date=moment)
    client = _signed_in(disc.users["designated"])
    with translation.override("it"):
        urls = [
            reverse("discussions:topic_list", args=[disc.community.pk]),
            disc.topic.get_absolute_url(),
            LATEST,
        ]
    pages = [client.get(url) for url in urls]
    for response in pages:
        assert response.status_code == 200
        assert "16 novembre 2026, 10:30" in response.text, response.request["PATH_INFO"]
        assert "Novembre" not in response.text
    english = client.get("/en" + LATEST)
    assert "16 November 2026, 10:30" in english.text


DATE_FILTER = re.compile(r"""\|date:(["'])([^"']*)\1""")
NAMED_WITH_NAMES = {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT"}


def _writes_names(date_format: str) -> bool:
    """Whether a ``date`` filter's format writes a month or day name."""
    if re.fullmatch(r"[A-Z_]+", date_format):
        return date_format in NAMED_WITH_NAMES
    return any(char in date_format for char in "FNlDEMb")


@pytest.mark.parametrize("folder", ["."])
def test_templates_write_month_names_with_human_date(folder):
    """Django's Italian catalogue capitalises month and day names ("Novembre", "Lunedì"): the
    portal writes dates with ``human_date`` instead of Django's ``date`` filter."""
    root = Path(settings.BASE_DIR) / "templates" / folder
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.html")
        for match in DATE_FILTER.finditer(path.read_text())
        if _writes_names(match.group(2))
    ]
    assert offenders == []
