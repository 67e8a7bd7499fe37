"""A topic's quick poll in the discussions API (``/api/community/v1/discussions/``, tag
``polls``):

- ``GET topics/<pk>/poll/``: the poll as the member sees it (the results once they voted, once
  it closed, and always for the topic's author and the moderators);
- ``PUT topics/<pk>/poll/``: add the poll, or replace it while nobody voted (its author, the
  moderators); ``DELETE topics/<pk>/poll/``: remove it;
- ``POST topics/<pk>/poll/vote/``: vote, or change one's vote, until the close;
  ``DELETE topics/<pk>/poll/vote/``: withdraw it.

The same policy as the site (``discussions.services.polls``): 404 for whoever may not read the
topic (and for a topic without a poll), 403 with the reason, 400 for bad input (by field), 409
when the poll is closed or already has votes. Imported by ``discussions/api/urls.py`` only (after
``communities.api``, like ``discussions.api.views``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status

from cms import access
from cms.api_errors import run
from communities.api.support import CONFLICT, CommunityAPIView, endpoint, validated

from .. import services
from ..models import Topic
from ..permissions import Action
from ..services import moderation, polls
from .poll_serializers import PollSerializer, PollWriteSerializer, VoteSerializer

TAG = "polls"


def _state(request, topic):
    state = polls.poll_state(request.user, topic)
    if state is None:
        raise exceptions.NotFound()
    return state


class TopicPoll(CommunityAPIView):
    @endpoint(
        "polls_retrieve",
        tag=TAG,
        summary=gettext_lazy("A topic's poll"),
        description=gettext_lazy(
            "The question and the options; the counts (``votes``, ``percent``, ``voters``) "
            "once the member voted or the poll closed, and always for the topic's author and "
            "the moderators (null otherwise). 404 for a topic without a poll, or one the "
            "member may not read."
        ),
        response=PollSerializer,
    )
    def get(self, request, pk):
        topic = run(services.get_topic, request.user, pk)
        return _state(request, topic)

    @endpoint(
        "polls_update",
        tag=TAG,
        summary=gettext_lazy("Add or replace a topic's poll"),
        description=gettext_lazy(
            "The topic's author (while they may open topics in its space) and the moderators, "
            "until the first vote (409 afterwards). 403 with the reason for the others."
        ),
        request=PollWriteSerializer,
        response=PollSerializer,
        errors=CONFLICT,
    )
    def put(self, request, pk):
        topic = _topic_to_change(request, pk)
        if not access.can(request.user, Action.START_POLL, topic):
            raise exceptions.PermissionDenied(polls.start_poll_refusal(topic))
        data = validated(PollWriteSerializer, request)
        poll = run(polls.clean_poll, **data)
        run(polls.set_poll, request.user, topic, poll)
        return _state(request, topic)

    @endpoint(
        "polls_destroy",
        tag=TAG,
        summary=gettext_lazy("Remove a topic's poll"),
        description=gettext_lazy(
            "Who may change it, while nobody voted (409 afterwards); the moderators any time, "
            "with its votes."
        ),
        status=status.HTTP_204_NO_CONTENT,
        errors=CONFLICT,
    )
    def delete(self, request, pk):
        topic = _topic_to_change(request, pk)
        if not access.can(request.user, Action.START_POLL, topic):
            raise exceptions.PermissionDenied(polls.start_poll_refusal(topic))
        run(polls.delete_poll, request.user, topic)


class TopicPollVote(CommunityAPIView):
    @endpoint(
        "polls_vote",
        tag=TAG,
        summary=gettext_lazy("Vote in a topic's poll"),
        description=gettext_lazy(
            "Whoever may reply in the topic, until the poll closes (409 afterwards). Voting "
            "again replaces the previous vote. 400 for no option, several options in a "
            "single-choice poll, or an option that is not the poll's."
        ),
        request=VoteSerializer,
        response=PollSerializer,
        errors=CONFLICT,
    )
    def post(self, request, pk):
        topic = run(services.get_topic, request.user, pk)
        data = validated(VoteSerializer, request)
        run(polls.vote, request.user, topic, data["options"])
        return _state(request, topic)

    @endpoint(
        "polls_withdraw_vote",
        tag=TAG,
        summary=gettext_lazy("Withdraw one's vote"),
        description=gettext_lazy(
            "Until the poll closes (409 afterwards, or when the member has not voted)."
        ),
        status=status.HTTP_204_NO_CONTENT,
        errors=CONFLICT,
    )
    def delete(self, request, pk):
        topic = run(services.get_topic, request.user, pk)
        run(polls.withdraw_vote, request.user, topic)


def _topic_to_change(request, pk):
    """The topic ``pk`` for its author or a moderator; 404 for whoever may not see it."""
    topic = Topic.objects.for_listing().filter(pk=pk).first()
    if topic is None or not moderation.may_see(request.user, topic):
        raise exceptions.NotFound()
    return topic
