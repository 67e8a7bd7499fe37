"""Quick polls inside a topic: add one (when opening the topic or later), change or remove it
while nobody voted, vote, change or withdraw one's vote until the close, and the poll as one
user sees it (``poll_state``: the options, and the results when they may see them).

Every function checks the access policy (``cms.access``, actions ``start_poll``, ``vote_poll``,
``view_poll_results`` in ``discussions/permissions.py``) itself, so that the site's views and
the API behave alike. Errors are ``discussions.services.common``'s: ``NotFound`` (404: no poll,
or a topic the user may not read), ``NotAllowed`` (403), ``InvalidInput`` (400: a bad poll, an
empty vote, an option of another poll), ``PollConflict`` (409: the poll is closed, or people
already voted and it can no longer change).

The results are counted in the database (``Count``), in two queries whatever the number of
votes: the poll with its number of voters, the options with their votes and the user's own.
Percentages are of the voters (in a multiple-choice poll they add up to more than 100).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import access, errors

from .. import permissions
from ..models import Poll, PollOption, PollVote, Topic
from .common import InvalidInput, NotAllowed, NotFound

Action = permissions.Action

QUESTION_MAX_LENGTH = Poll._meta.get_field("question").max_length
OPTION_MAX_LENGTH = PollOption._meta.get_field("label").max_length
MIN_OPTIONS = 2
MAX_OPTIONS = 10


class PollConflict(errors.Conflict):
    """The poll's state forbids the change (closed; or votes exist): a 409."""


@dataclass(frozen=True)
class PollInput:
    """A poll as its author wrote it, cleaned (``clean_poll``)."""

    question: str
    options: tuple[str, ...]
    multiple: bool = False
    closes_at: datetime | None = None


# --- Validation ---------------------------------------------------------------------------------


def _invalid(field_name, message) -> InvalidInput:
    """A 400 about one field of a poll or a vote (the API answers it by field)."""
    return InvalidInput({field_name: [message]})


def split_options(text) -> list[str]:
    """The options written one per line (blank lines ignored)."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def clean_poll(question, options, *, multiple=False, closes_at=None, now=None) -> PollInput:
    """``InvalidInput`` with a clear message unless the poll is well formed: a question, 2 to
    10 distinct options (case-insensitively), each within the length limit, and a closing time
    in the future if any."""
    question = " ".join((question or "").split())
    if isinstance(options, str):
        options = split_options(options)
    options = [" ".join(str(option or "").split()) for option in options or ()]
    options = [option for option in options if option]
    if not question:
        raise _invalid("question", _("Please write the poll's question."))
    if len(question) > QUESTION_MAX_LENGTH:
        raise _invalid(
            "question",
            _("The poll's question is too long: %(length)d characters, at most %(max)d.")
            % {"length": len(question), "max": QUESTION_MAX_LENGTH},
        )
    if len(options) < MIN_OPTIONS:
        raise _invalid("options", _("Give the poll at least 2 options, one per line."))
    if len(options) > MAX_OPTIONS:
        raise _invalid(
            "options",
            _("A poll has at most %(max)d options: you wrote %(count)d.")
            % {"max": MAX_OPTIONS, "count": len(options)},
        )
    too_long = [option for option in options if len(option) > OPTION_MAX_LENGTH]
    if too_long:
        raise _invalid(
            "options",
            _("Each option has at most %(max)d characters: “%(option)s…” is longer.")
            % {"max": OPTION_MAX_LENGTH, "option": too_long[0][:40]},
        )
    seen = set()
    for option in options:
        if option.casefold() in seen:
            raise _invalid(
                "options",
                _("The option “%(option)s” appears twice: each option must be different.")
                % {"option": option},
            )
        seen.add(option.casefold())
    if closes_at is not None and closes_at <= (now or timezone.now()):
        raise _invalid("closes_at", _("The closing date and time must be in the future."))
    return PollInput(question, tuple(options), bool(multiple), closes_at)


# --- Reading a poll -----------------------------------------------------------------------------


def get_poll(topic) -> Poll | None:
    """``topic``'s poll with its number of voters (one query), or ``None``."""
    poll = Poll.objects.with_voters().filter(topic=topic).first()
    if poll is not None:
        poll.topic = topic
    return poll


@dataclass
class OptionState:
    id: int
    label: str
    votes: int = 0
    percent: int = 0
    mine: bool = False
    #: Checked in the voting form: the member's vote, or what they chose in a refused attempt.
    checked: bool = False


@dataclass
class PollState:
    """A poll as one user sees it: ``results`` is false when they may not see the counts yet
    (then ``OptionState.votes`` and ``percent`` are zeros and ``voters`` is ``None``)."""

    poll: Poll
    options: list[OptionState] = field(default_factory=list)
    voters: int | None = None
    closed: bool = False
    voted: bool = False
    can_vote: bool = False
    can_edit: bool = False
    results: bool = False

    @property
    def shows_form(self) -> bool:
        return self.can_vote and not self.closed


def poll_state(user, topic, poll=None) -> PollState | None:
    """``topic``'s poll as ``user`` sees it (two queries; the caller checked they may read the
    topic), or ``None`` when the topic has no poll.

    Results: always for who may ``view_poll_results`` (the moderators, the topic's author);
    for the other readers once they voted or once the poll closed."""
    poll = poll if poll is not None else get_poll(topic)
    if poll is None:
        return None
    signed_in = getattr(user, "is_authenticated", False)
    mine_filter = Q(votes__user=user) if signed_in else Q(pk__in=[])
    rows = list(
        PollOption.objects.filter(poll=poll)
        .annotate(n=Count("votes"), mine=Count("votes", filter=mine_filter))
        .order_by("position", "pk")
        .values_list("pk", "label", "n", "mine")
    )
    voted = any(mine for *_rest, mine in rows)
    closed = poll.is_closed()
    results = closed or voted or access.can(user, Action.VIEW_POLL_RESULTS, topic)
    voters = getattr(poll, "voters", None)
    if voters is None:
        voters = PollVote.objects.filter(poll=poll).values("user").distinct().count()
    options = []
    for pk, label, n, mine in rows:
        option = OptionState(pk, label, mine=bool(mine), checked=bool(mine))
        if results:
            option.votes = n
            option.percent = round(100 * n / voters) if voters else 0
        options.append(option)
    return PollState(
        poll=poll,
        options=options,
        voters=voters if results else None,
        closed=closed,
        voted=voted,
        can_vote=access.can(user, Action.VOTE_POLL, topic),
        can_edit=access.can(user, Action.START_POLL, topic) and not voters,
        results=results,
    )


# --- Adding, changing, removing a poll ------------------------------------------------------------


def start_poll_refusal(topic) -> str:
    if topic.hidden_at is not None:
        return _("The moderators hid this topic: its poll can no longer be changed.")
    if topic.locked:
        return _("This topic is closed: its poll can no longer be changed.")
    return _(
        "Only the topic's author (while they may open topics here) and the moderators may add "
        "or change its poll."
    )


def vote_refusal(topic) -> str:
    if topic.hidden_at is not None:
        return _("The moderators hid this topic: its poll takes no votes for now.")
    if topic.locked:
        return _("This topic is closed: its poll takes no more votes.")
    return _("Only the members who may reply in this discussion may vote in its poll.")


def _check_may_start(user, topic):
    from . import moderation

    if not moderation.may_see(user, topic):
        raise NotFound()
    if not access.can(user, Action.START_POLL, topic):
        raise NotAllowed(start_poll_refusal(topic))


def _write_poll(user, topic, data: PollInput) -> Poll:
    poll = Poll.objects.create(
        topic=topic,
        question=data.question,
        multiple=data.multiple,
        closes_at=data.closes_at,
        created_by=user,
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, label=label, position=position)
        for position, label in enumerate(data.options, start=1)
    )
    return poll


def add_poll_on_create(user, topic, data: PollInput) -> Poll:
    """The poll of a topic being opened (``create_topic``, inside its transaction): the opener
    may open the topic, so they may add its poll."""
    return _write_poll(user, topic, data)


def set_poll(user, topic, data: PollInput) -> Poll:
    """Add ``topic``'s poll, or replace it (question, options, choice, close) while nobody has
    voted: ``PollConflict`` once someone did (their votes would no longer mean anything)."""
    _check_may_start(user, topic)
    with transaction.atomic():
        # The topic's row is the lock: two saves of its poll, or a save and a first vote, wait.
        Topic.objects.select_for_update().filter(pk=topic.pk).first()
        existing = Poll.objects.filter(topic=topic).first()
        if existing is not None:
            if PollVote.objects.filter(poll=existing).exists():
                raise PollConflict(
                    _("Members have already voted in this poll: it can no longer be changed.")
                )
            existing.delete()
        return _write_poll(user, topic, data)


def delete_poll(user, topic) -> None:
    """Remove ``topic``'s poll: who may change it, while nobody voted; the moderators any time
    (the votes go with it)."""
    _check_may_start(user, topic)
    with transaction.atomic():
        Topic.objects.select_for_update().filter(pk=topic.pk).first()
        poll = Poll.objects.filter(topic=topic).first()
        if poll is None:
            raise NotFound(_("This topic has no poll."))
        if not access.can(user, Action.MODERATE, topic) and poll.votes.exists():
            raise PollConflict(
                _("Members have already voted in this poll: only the moderators may remove it.")
            )
        poll.delete()


# --- Voting ---------------------------------------------------------------------------------------


def _poll_for_vote(user, topic) -> Poll:
    if not access.can(user, Action.READ_DISCUSSIONS, topic):
        raise NotFound()
    poll = Poll.objects.filter(topic=topic).first()
    if poll is None:
        raise NotFound(_("This topic has no poll."))
    if not access.can(user, Action.VOTE_POLL, topic):
        raise NotAllowed(vote_refusal(topic))
    if poll.is_closed():
        raise PollConflict(_("This poll is closed: it takes no more votes."))
    return poll


def _option_ids(values) -> list[int]:
    ids = []
    for value in values or ():
        text = str(value).strip()
        if not text.isdigit() or len(text) > 18:
            raise _invalid(
                "options", _("That option is not one of this poll's: please choose again.")
            )
        ids.append(int(text))
    return list(dict.fromkeys(ids))


def vote(user, topic, option_ids) -> list[PollVote]:
    """Record ``user``'s vote in ``topic``'s poll (replacing their previous one): one option in
    a single-choice poll, one or more in a multiple-choice one, only the poll's own options."""
    poll = _poll_for_vote(user, topic)
    ids = _option_ids(option_ids)
    if not ids:
        raise _invalid(
            "options",
            _("Choose at least one option before voting.")
            if poll.multiple
            else _("Choose an option before voting."),
        )
    if not poll.multiple and len(ids) > 1:
        raise _invalid("options", _("This poll takes one choice only: choose a single option."))
    options = set(PollOption.objects.filter(poll=poll, pk__in=ids).values_list("pk", flat=True))
    if options != set(ids):
        raise _invalid("options", _("That option is not one of this poll's: please choose again."))
    now = timezone.now()
    try:
        with transaction.atomic():
            PollVote.objects.filter(poll=poll, user=user).delete()
            votes = PollVote.objects.bulk_create(
                PollVote(poll=poll, option_id=pk, user=user, multiple=poll.multiple, created_at=now)
                for pk in ids
            )
    except IntegrityError as error:  # the same member voting twice at the same moment
        raise PollConflict(
            _("Your vote was sent twice at the same moment: please check it and try again.")
        ) from error
    return votes


def withdraw_vote(user, topic) -> int:
    """Withdraw ``user``'s vote from ``topic``'s poll until it closes; returns the rows removed
    (``PollConflict`` if they had not voted)."""
    poll = _poll_for_vote(user, topic)
    deleted, _rows = PollVote.objects.filter(poll=poll, user=user).delete()
    if not deleted:
        raise PollConflict(_("You have not voted in this poll."))
    return deleted
