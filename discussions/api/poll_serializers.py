"""The serializers of a topic's quick poll in the discussions API (tag ``polls``): the poll as
the requesting member sees it (``discussions.services.polls.PollState``), a poll to add or
change, a vote."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.api.serializers import MAX_ID

from ..services import polls


class PollOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    mine = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("Whether the requesting member chose it.")
    )
    votes = serializers.SerializerMethodField(
        help_text=gettext_lazy("Votes for the option; null while the results are not shown.")
    )
    percent = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Share of the voters who chose it (0-100, rounded); null while the results are not "
            "shown. In a multiple-choice poll the shares add up to more than 100."
        )
    )

    def get_votes(self, option) -> int | None:
        return option.votes if self.context.get("results") else None

    def get_percent(self, option) -> int | None:
        return option.percent if self.context.get("results") else None


class PollSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="poll.pk", read_only=True)
    topic_id = serializers.IntegerField(source="poll.topic_id", read_only=True)
    question = serializers.CharField(source="poll.question", read_only=True)
    multiple = serializers.BooleanField(source="poll.multiple", read_only=True)
    closes_at = serializers.DateTimeField(source="poll.closes_at", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(source="poll.created_at", read_only=True)
    closed = serializers.BooleanField(read_only=True)
    voted = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("Whether the requesting member has voted.")
    )
    can_vote = serializers.BooleanField(
        source="shows_form",
        read_only=True,
        help_text=gettext_lazy("Whether the member may vote (or change their vote) now."),
    )
    can_edit = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("Whether the member may change the poll (nobody voted yet)."),
    )
    results_visible = serializers.BooleanField(
        source="results",
        read_only=True,
        help_text=gettext_lazy(
            "The results are shown after the member voted, after the close, and always to the "
            "topic's author and the moderators."
        ),
    )
    voters = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("How many members voted; null while the results are not shown."),
    )
    options = serializers.SerializerMethodField()

    @extend_schema_field(PollOptionSerializer(many=True))
    def get_options(self, state):
        return PollOptionSerializer(
            state.options, many=True, context={"results": state.results}
        ).data


class PollWriteSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=polls.QUESTION_MAX_LENGTH)
    options = serializers.ListField(
        child=serializers.CharField(max_length=polls.OPTION_MAX_LENGTH),
        min_length=polls.MIN_OPTIONS,
        max_length=polls.MAX_OPTIONS,
        help_text=gettext_lazy("From 2 to 10 different options, in order."),
    )
    multiple = serializers.BooleanField(default=False)
    closes_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("When the poll closes (in the future); null: open until removed."),
    )


class VoteSerializer(serializers.Serializer):
    options = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=True,
        max_length=polls.MAX_OPTIONS,
        help_text=gettext_lazy(
            "The ids of the chosen options: one in a single-choice poll, one or more in a "
            "multiple-choice one. Voting again replaces the previous vote."
        ),
    )
