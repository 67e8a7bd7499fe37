"""Quick polls inside a topic, on the site: creation with the topic or later (validation),
voting in single and multiple choice polls, changing and withdrawing a vote, the close (409),
forged options (400), outsiders (404) and refused members (403), who sees the results, the
database constraint on single-choice polls, the topic page's queries, the personal data and the
demo poll."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from discussions import services
from discussions.models import Poll, PollOption, PollVote, Topic
from discussions.services import polls

from .conftest import user_for

pytestmark = pytest.mark.django_db


def make_poll(topic, *, options=("Sì", "No", "Non so"), multiple=False, closes_at=None, by=None):
    poll = Poll.objects.create(
        topic=topic,
        question="Avete un piano di continuità operativa?",
        multiple=multiple,
        closes_at=closes_at,
        created_by=by or topic.author,
    )
    for position, label in enumerate(options, start=1):
        PollOption.objects.create(poll=poll, label=label, position=position)
    return poll


def option_ids(poll):
    return list(poll.options.values_list("pk", flat=True))


def vote_url(topic):
    return reverse("discussions:poll_vote", args=[topic.pk])


def login(client, disc, column):
    user = user_for(disc, column)
    client.force_login(user)
    return user


# --- Creating a poll -------------------------------------------------------------------------


def new_topic_data(**poll):
    return {
        "title": "Backup fuori sede",
        "body": "Dove tenete la copia?",
        "tags": "",
        "poll_question": poll.get("question", "Dove la tenete?"),
        "poll_options": poll.get("options", "Cloud\nNastri\nAltro ente"),
        **({"poll_multiple": "on"} if poll.get("multiple") else {}),
        "poll_closes_at": poll.get("closes_at", ""),
    }


def test_designated_opens_a_topic_with_a_poll(client, disc, no_rate_limits):
    login(client, disc, "designated")
    closes = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("discussions:topic_new", args=[disc.community.pk]),
        new_topic_data(multiple=True, closes_at=closes),
    )
    assert response.status_code == 302
    topic = Topic.objects.get(title="Backup fuori sede")
    poll = topic.poll
    assert poll.multiple and poll.closes_at > timezone.now()
    assert list(poll.options.values_list("label", flat=True)) == ["Cloud", "Nastri", "Altro ente"]
    assert poll.created_by == disc.users["designated"]


def test_a_topic_without_poll_fields_has_no_poll(client, disc, no_rate_limits):
    login(client, disc, "designated")
    data = new_topic_data(question="", options="")
    response = client.post(reverse("discussions:topic_new", args=[disc.community.pk]), data)
    assert response.status_code == 302
    assert not Poll.objects.filter(topic__title="Backup fuori sede").exists()


@pytest.mark.parametrize(
    ("poll", "field", "message"),
    [
        ({"options": "Solo una"}, "poll_options", "almeno 2 opzioni"),
        (
            {"options": "\n".join(f"Opzione {n}" for n in range(11))},
            "poll_options",
            "al massimo 10",
        ),
        ({"options": "Sì\nsì\nNo"}, "poll_options", "compare due volte"),
        ({"question": ""}, "poll_question", "domanda"),
        ({"closes_at": "2001-01-01T10:00"}, "poll_closes_at", "nel futuro"),
    ],
)
def test_a_bad_poll_keeps_what_was_typed(client, disc, no_rate_limits, poll, field, message):
    login(client, disc, "designated")
    data = new_topic_data(**poll)
    response = client.post(reverse("discussions:topic_new", args=[disc.community.pk]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form["title"].value() == "Backup fuori sede"  # nothing typed is lost
    assert form["poll_options"].value() == data["poll_options"]
    assert not Topic.objects.filter(title="Backup fuori sede").exists()


def test_clean_poll_rules():
    with pytest.raises(services.InvalidInput):
        polls.clean_poll("Domanda?", ["A"])
    with pytest.raises(services.InvalidInput):
        polls.clean_poll("Domanda?", ["A", "x" * 201])
    data = polls.clean_poll("  Domanda   lunga? ", "A\n\n  B  \r\nC\n")
    assert data.question == "Domanda lunga?"
    assert data.options == ("A", "B", "C")


def test_the_author_adds_a_poll_later_until_the_first_vote(client, disc):
    login(client, disc, "designated")  # the author of disc.topic
    edit = reverse("discussions:poll_edit", args=[disc.topic.pk])
    assert client.get(edit).status_code == 200
    data = {"poll_question": "Quale modello?", "poll_options": "AgID\nProprio"}
    assert client.post(edit, data).status_code == 302
    poll = Poll.objects.get(topic=disc.topic)
    assert poll.question == "Quale modello?"
    # Changed while nobody voted: replaced.
    data = {"poll_question": "Quale modello usate?", "poll_options": "AgID\nProprio\nNessuno"}
    assert client.post(edit, data).status_code == 302
    poll = Poll.objects.get(topic=disc.topic)
    assert poll.options.count() == 3
    PollVote.objects.create(poll=poll, option=poll.options.first(), user=disc.users["participant"])
    response = client.post(edit, {"poll_question": "Altro?", "poll_options": "A\nB"})
    assert response.status_code == 409
    assert Poll.objects.get(topic=disc.topic).question == "Quale modello usate?"


def test_others_may_not_add_a_poll_to_a_topic(client, disc):
    edit = reverse("discussions:poll_edit", args=[disc.topic.pk])
    login(client, disc, "participant")
    assert client.get(edit).status_code == 403
    login(client, disc, "other_member")
    assert client.get(edit).status_code == 404
    login(client, disc, "coordinator")  # a moderator
    assert client.get(edit).status_code == 200


def test_a_moderator_removes_a_poll_with_votes(client, disc):
    poll = make_poll(disc.topic)
    PollVote.objects.create(poll=poll, option=poll.options.first(), user=disc.users["participant"])
    edit = reverse("discussions:poll_edit", args=[disc.topic.pk])
    login(client, disc, "designated")  # the author: not once someone voted
    assert client.post(edit, {"delete": "1"}).status_code == 409
    assert Poll.objects.filter(pk=poll.pk).exists()
    login(client, disc, "coordinator")
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not Poll.objects.filter(pk=poll.pk).exists()


# --- Voting ------------------------------------------------------------------------------------


def test_single_choice_vote_change_and_withdraw(client, disc):
    poll = make_poll(disc.topic)
    yes, no, _unsure = option_ids(poll)
    user = login(client, disc, "participant")
    response = client.post(vote_url(disc.topic), {"options": [yes]})
    assert response.status_code == 302
    assert response["Location"].endswith("#sondaggio")
    assert list(PollVote.objects.filter(user=user).values_list("option_id", flat=True)) == [yes]
    # Changing the vote replaces it.
    client.post(vote_url(disc.topic), {"options": [no]})
    assert list(PollVote.objects.filter(user=user).values_list("option_id", flat=True)) == [no]
    page = client.get(disc.topic.get_absolute_url())
    assert "Il tuo voto è stato registrato." in page.content.decode()
    response = client.post(reverse("discussions:poll_withdraw", args=[disc.topic.pk]))
    assert response.status_code == 302
    assert not PollVote.objects.filter(user=user).exists()


def test_multiple_choice_vote(client, disc):
    poll = make_poll(disc.topic, multiple=True)
    ids = option_ids(poll)
    user = login(client, disc, "wg_member")
    assert client.post(vote_url(disc.topic), {"options": ids[:2]}).status_code == 302
    assert set(PollVote.objects.filter(user=user).values_list("option_id", flat=True)) == set(
        ids[:2]
    )


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ([], "Scegli un'opzione prima di votare."),
        (["both"], "non appartiene a questo sondaggio"),
        (["999999"], "non appartiene a questo sondaggio"),
        ("two", "una sola scelta"),
        ("other_poll", "non appartiene a questo sondaggio"),
    ],
)
def test_bad_votes_are_400_and_keep_the_choice(client, disc, choice, message):
    poll = make_poll(disc.topic)
    ids = option_ids(poll)
    if choice == "two":
        choice = ids[:2]
    elif choice == "other_poll":
        other = make_poll(disc.group_topic)
        choice = option_ids(other)[:1]
    login(client, disc, "participant")
    response = client.post(vote_url(disc.topic), {"options": choice})
    assert response.status_code == 400
    assert message in response.context["poll_error"]
    assert escape(message) in response.content.decode()
    assert not PollVote.objects.exists()
    if choice and choice[0] in ids:  # what they had chosen is still checked
        assert all(o.checked for o in response.context["poll"].options if o.id in choice)


def test_a_closed_poll_takes_no_votes(client, disc):
    poll = make_poll(disc.topic, closes_at=timezone.now() - timedelta(minutes=1))
    login(client, disc, "participant")
    response = client.post(vote_url(disc.topic), {"options": option_ids(poll)[:1]})
    assert response.status_code == 409
    assert "Questo sondaggio è chiuso" in response.content.decode()
    assert not PollVote.objects.exists()
    page = client.get(disc.topic.get_absolute_url()).content.decode()
    assert 'name="options"' not in page  # no form: the final results
    assert "Risultati finali" in page


def test_locked_or_hidden_topic_refuses_members_votes(client, disc):
    poll = make_poll(disc.topic)
    Topic.objects.filter(pk=disc.topic.pk).update(locked=True)
    login(client, disc, "participant")
    response = client.post(vote_url(disc.topic), {"options": option_ids(poll)[:1]})
    assert response.status_code == 403
    assert "chiuso" in response.content.decode()
    Topic.objects.filter(pk=disc.topic.pk).update(locked=False, hidden_at=timezone.now())
    response = client.post(vote_url(disc.topic), {"options": option_ids(poll)[:1]})
    assert response.status_code == 403
    login(client, disc, "coordinator")  # the managers still may
    assert client.post(vote_url(disc.topic), {"options": option_ids(poll)[:1]}).status_code == 302


@pytest.mark.parametrize("column", ["anonymous", "registered", "other_member", "staff"])
def test_outsiders_get_404_for_the_poll(client, disc, column):
    poll = make_poll(disc.topic)
    if column != "anonymous":
        login(client, disc, column)
    assert client.post(vote_url(disc.topic), {"options": option_ids(poll)[:1]}).status_code == 404
    assert client.get(disc.topic.get_absolute_url()).status_code == 404
    assert not PollVote.objects.exists()


def test_working_group_poll_is_for_the_group(client, disc):
    poll = make_poll(disc.group_topic)
    login(client, disc, "designated")  # a community member outside the group
    assert (
        client.post(vote_url(disc.group_topic), {"options": option_ids(poll)[:1]}).status_code
        == 404
    )
    login(client, disc, "wg_coordinator")
    assert (
        client.post(vote_url(disc.group_topic), {"options": option_ids(poll)[:1]}).status_code
        == 302
    )


def test_get_is_not_allowed_on_the_vote_url(client, disc):
    make_poll(disc.topic)
    login(client, disc, "participant")
    assert client.get(vote_url(disc.topic)).status_code == 405


def test_no_poll_is_404(client, disc):
    login(client, disc, "participant")
    assert client.post(vote_url(disc.topic), {"options": ["1"]}).status_code == 404


# --- The database's guarantee ----------------------------------------------------------------


def test_the_database_refuses_two_votes_in_a_single_choice_poll(disc):
    poll = make_poll(disc.topic)
    first, second, _third = poll.options.all()
    user = disc.users["participant"]
    PollVote.objects.create(poll=poll, option=first, user=user, multiple=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, option=second, user=user, multiple=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, option=first, user=user, multiple=True)


def test_the_database_refuses_duplicate_options(disc):
    poll = make_poll(disc.topic)
    # ASCII case: SQLite's lower() folds only ASCII letters ("SÌ" and "Sì" are told apart by
    # the service's casefold check, tested above, on every database).
    with pytest.raises(IntegrityError), transaction.atomic():
        PollOption.objects.create(poll=poll, label="NO", position=9)


# --- Results -----------------------------------------------------------------------------------


def test_results_after_voting_only(client, disc):
    poll = make_poll(disc.topic)
    yes, no, _unsure = option_ids(poll)
    for column, option in (("wg_member", yes), ("support", yes), ("wg_coordinator", no)):
        PollVote.objects.create(poll=poll, option_id=option, user=disc.users[column])
    login(client, disc, "participant")
    page = client.get(disc.topic.get_absolute_url())
    state = page.context["poll"]
    assert not state.results and state.voters is None
    assert all(o.votes == 0 for o in state.options)
    html = page.content.decode()
    assert "hanno votato" not in html and "I risultati sono visibili dopo che hai votato." in html
    client.post(vote_url(disc.topic), {"options": [no]})
    page = client.get(disc.topic.get_absolute_url())
    state = page.context["poll"]
    assert state.results and state.voters == 4
    assert [(o.votes, o.percent, o.mine) for o in state.options] == [
        (2, 50, False),
        (2, 50, True),
        (0, 0, False),
    ]
    html = page.content.decode()
    assert "4 membri hanno votato" in html
    assert "2 voti, 50%" in html  # the figures in text, not only the bars
    assert 'class="progress" aria-hidden="true"' in html


def test_multiple_choice_percentages_are_of_the_voters(disc):
    poll = make_poll(disc.topic, multiple=True)
    a, b, _c = option_ids(poll)
    for column in ("participant", "support"):
        for option in (a, b):
            PollVote.objects.create(
                poll=poll, option_id=option, user=disc.users[column], multiple=True
            )
    PollVote.objects.create(poll=poll, option_id=a, user=disc.users["wg_member"], multiple=True)
    state = polls.poll_state(user_for(disc, "coordinator"), disc.topic)
    assert state.voters == 3
    assert [(o.votes, o.percent) for o in state.options] == [(3, 100), (2, 67), (0, 0)]


@pytest.mark.parametrize(
    ("column", "shown"),
    [("designated", True), ("coordinator", True), ("support", True), ("participant", False)],
)
def test_author_and_moderators_always_see_results(disc, column, shown):
    make_poll(disc.topic)  # disc.topic's author is "designated"
    state = polls.poll_state(user_for(disc, column), disc.topic)
    assert state.results is shown


def test_results_after_the_close_for_everyone(disc):
    make_poll(disc.topic, closes_at=timezone.now() - timedelta(hours=1))
    state = polls.poll_state(user_for(disc, "participant"), disc.topic)
    assert state.closed and state.results and not state.shows_form


# --- The topic page ----------------------------------------------------------------------------


def test_the_poll_box_is_a_fieldset_with_radios(client, disc):
    make_poll(disc.topic, closes_at=timezone.now() + timedelta(days=3))
    login(client, disc, "participant")
    html = client.get(disc.topic.get_absolute_url()).content.decode()
    assert 'id="sondaggio"' in html
    assert "<legend" in html and 'type="radio"' in html and 'name="options"' in html
    assert "Aperto fino al" in html
    assert reverse("discussions:poll_vote", args=[disc.topic.pk]) in html


def test_topic_page_queries_with_a_poll_do_not_grow_with_votes(
    client, disc, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.communities.factories import RegisteredUserFactory

    from .test_queries import BUDGET

    poll = make_poll(disc.topic, multiple=True)
    ids = option_ids(poll)
    login(client, disc, "participant")
    url = disc.topic.get_absolute_url()
    client.post(vote_url(disc.topic), {"options": ids[:1]})
    client.get(url)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = measure()
    voters = RegisteredUserFactory.create_batch(30)
    PollVote.objects.bulk_create(
        PollVote(poll=poll, option_id=ids[n % 3], user=user, multiple=True)
        for n, user in enumerate(voters)
    )
    many = measure()
    assert few == many
    assert client.get(url).context["poll"].voters == 31
    with django_assert_max_num_queries(BUDGET + 2):  # the poll, its options with counts
        client.get(url)


def test_add_a_poll_link_for_the_author_only(client, disc):
    edit = reverse("discussions:poll_edit", args=[disc.topic.pk])
    login(client, disc, "designated")
    assert edit in client.get(disc.topic.get_absolute_url()).content.decode()
    login(client, disc, "participant")
    assert edit not in client.get(disc.topic.get_absolute_url()).content.decode()


# --- Personal data -----------------------------------------------------------------------------


def test_votes_are_exported_and_erased(disc):
    from discussions import gdpr

    open_poll = make_poll(disc.topic, multiple=True)
    closed_poll = make_poll(disc.group_topic, closes_at=timezone.now() + timedelta(days=1))
    user = disc.users["wg_member"]
    a, b, _c = open_poll.options.all()
    PollVote.objects.create(poll=open_poll, option=a, user=user, multiple=True)
    PollVote.objects.create(poll=open_poll, option=b, user=user, multiple=True)
    PollVote.objects.create(poll=closed_poll, option=closed_poll.options.first(), user=user)
    Poll.objects.filter(pk=closed_poll.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    exported = gdpr.export_poll_votes(user)
    assert {v["poll_id"]: v["options"] for v in exported["votes"]} == {
        open_poll.pk: ["Sì", "No"],
        closed_poll.pk: ["Sì"],
    }
    assert exported["polls_created"] == [
        {
            "poll_id": closed_poll.pk,
            "topic_id": disc.group_topic.pk,
            "question": closed_poll.question,
            "created_at": closed_poll.created_at.isoformat(),
        }
    ]
    gdpr.erase_poll_votes(user)
    # Withdrawn from the open poll; the closed poll's result stays.
    assert list(PollVote.objects.filter(user=user).values_list("poll_id", flat=True)) == [
        closed_poll.pk
    ]


# --- The demo ----------------------------------------------------------------------------------


def test_the_demo_has_a_poll_with_votes_and_loading_twice_adds_nothing(disc):
    from demo import discussions as demo_discussions
    from demo.content import load

    specs = [spec for spec in load("discussions")["topics"] if spec.get("poll")]
    assert len(specs) == 1
    spec = specs[0]
    assert spec["space"] == "community"
    users = {
        "membro-gdl": disc.users["wg_member"],
        "partecipante": disc.users["participant"],
        "coordinatore": disc.users["coordinator"],
    }
    now = timezone.now()
    assert demo_discussions._add_poll(disc.topic, spec["poll"], users, now)
    assert not demo_discussions._add_poll(disc.topic, spec["poll"], users, now)
    poll = Poll.objects.get(topic=disc.topic)
    assert poll.options.count() == len(spec["poll"]["options"])
    assert poll.closes_at > now
    state = polls.poll_state(user_for(disc, "participant"), disc.topic)
    assert state.voted and state.voters == 3
