"""Discussions: topics in a community or a working group, threaded replies (django-comments-xtd),
reactions, flags, the moderation log, follows, in-portal notifications and read markers.

A topic's *space* is the page it lives in: a ``CommunityPage`` or a ``WorkingGroupPage``.
``community`` is always the community (for a working group topic, the group's community), so
that listings and the access policy never walk the page tree. Topics attach to the page of the
default language (Italian); every translation of a community shows the same topics.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment, XtdCommentManager
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.search import index


class TaggedTopic(TaggedItemBase):
    # A ParentalKey: ClusterTaggableManager (tags.add/all, prefetching, search indexing of the
    # tags) works only through a parental relation.
    content_object = ParentalKey(
        "discussions.Topic", on_delete=models.CASCADE, related_name="tagged_items"
    )


def _open_reports():
    """The annotations of a reported reply or topic: its open reports and the latest one."""
    open_filter = Q(reports__resolved_at__isnull=True)
    return {
        "open_reports": models.Count("reports", filter=open_filter),
        "last_report_at": models.Max("reports__created_at", filter=open_filter),
    }


class TopicQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("author", "last_reply_author", "space", "community")

    def in_community(self, community):
        """The topics of ``community``'s discussions (the community and its working groups)."""
        return self.filter(community__translation_key=community.translation_key)

    def hidden(self):
        """The topics whose opening post the moderators hid."""
        return self.filter(hidden_at__isnull=False)

    def reported(self):
        """The topics whose opening post has open reports, each with ``open_reports`` and
        ``last_report_at``."""
        return self.filter(
            pk__in=Flag.objects.open().filter(topic__isnull=False).values("topic_id")
        ).annotate(**_open_reports())


class Topic(index.Indexed, ClusterableModel):
    """A discussion opened by a member in a community or in one of its working groups."""

    space = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="topics",
        verbose_name=_("space"),
        help_text=_("The community or working group page the topic belongs to."),
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        related_name="all_topics",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=False)
    body = models.TextField(_("text"), help_text=_("Markdown: a safe subset, no HTML."))
    body_html = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="topics",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    last_reply_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # A moderator hid the opening post: the title stays, the text is hidden from the members
    # (moderators still see it, with the reason), the replies stay, new replies only from the
    # coordinator and the support team; the topic leaves the search index.
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    tags = ClusterTaggableManager(through=TaggedTopic, blank=True, verbose_name=_("tags"))

    objects = TopicQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
        index.FilterField("space_id"),
        index.FilterField("community_id"),
        index.FilterField("created_at"),
        index.FilterField("last_activity_at"),
        index.FilterField("hidden_at"),
    ]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-pinned", "-last_activity_at"]
        indexes = [
            models.Index(fields=["space", "-pinned", "-last_activity_at"], name="topic_listing"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:80] or "argomento"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("discussions:topic", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_working_group_topic(self) -> bool:
        return self.space_id != self.community_id

    def space_keys(self) -> tuple[str, str | None]:
        """``(community translation_key, working group translation_key or None)``: where the
        topic lives, for the communities' access rules (``communities/roles.py``)."""
        community_key = self.community.translation_key
        wg_key = self.space.translation_key if self.is_working_group_topic else None
        return community_key, wg_key

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @classmethod
    def get_indexed_objects(cls):
        """Topics whose opening post a moderator hid leave the index (and come back restored)."""
        return super().get_indexed_objects().filter(hidden_at__isnull=True)


class ReplyQuerySet(models.QuerySet):
    def published(self):
        """The replies the members see: neither hidden by the moderators nor deleted."""
        return self.filter(is_public=True, is_removed=False)

    def in_community(self, community):
        """The replies of ``community``'s discussions (the community and its working groups)."""
        return self.filter(topic__community__translation_key=community.translation_key)

    def hidden(self):
        """The replies the moderators hid."""
        return self.filter(hidden_at__isnull=False)

    def reported(self):
        """The replies with open reports, each with ``open_reports`` and ``last_report_at``."""
        return self.filter(pk__in=Flag.objects.open().values("reply_id")).annotate(
            **_open_reports()
        )

    def thread_ids(self, topic):
        """The ids of ``topic``'s top-level threads, oldest first (what the pages paginate)."""
        return (
            self.filter(topic=topic, level=0)
            .order_by("thread_id")
            .values_list("thread_id", flat=True)
        )

    def in_threads(self, topic, thread_ids):
        """The replies of ``topic``'s threads ``thread_ids``, in thread order, with their
        authors (and authorities): one query for a page of a topic."""
        return (
            self.filter(topic=topic, thread_id__in=thread_ids)
            .select_related("user", "user__ente")
            .order_by("thread_id", "order")
        )


class Reply(index.Indexed, XtdComment):
    """A reply in a topic: a django-comments-xtd comment (threaded, depth up to 3) whose
    ``content_object`` is the topic. ``topic`` and ``space`` repeat it for fast queries and for
    the search filter; ``comment`` keeps the Markdown source, ``body_html`` its safe rendering."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="replies", verbose_name=_("topic")
    )
    space = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("space")
    )
    body_html = models.TextField(editable=False, default="")
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    objects = XtdCommentManager.from_queryset(ReplyQuerySet)()

    search_fields = [
        index.SearchField("comment"),
        index.FilterField("space_id"),
        index.FilterField("topic_id"),
        index.FilterField("is_public"),
        index.FilterField("is_removed"),
        index.FilterField("submit_date"),
    ]

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    @classmethod
    def get_indexed_objects(cls):
        """Only published replies are indexed (hidden and deleted ones leave the index)."""
        return super().get_indexed_objects().published()

    def get_absolute_url(self, anchor_pattern="#r%(id)s"):
        return self.topic.get_absolute_url() + anchor_pattern % {"id": self.pk}

    def space_keys(self) -> tuple[str, str | None]:
        """Where the reply lives: its topic's space (``Topic.space_keys``)."""
        return self.topic.space_keys()

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.is_removed and self.hidden_at is None


class ReplyRevision(models.Model):
    """A previous text of an edited reply (the history is kept)."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")
    comment = models.TextField(_("text"))
    created_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reply revision")
        verbose_name_plural = _("reply revisions")

    def __str__(self):
        return f"{self.reply_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class TopicRevision(models.Model):
    """A previous title and text of an edited topic (the history is kept)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("topic revision")
        verbose_name_plural = _("topic revisions")

    def __str__(self):
        return f"{self.topic_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("I like it")
        THANKS = "thanks", _("Thanks")
        AGREE = "agree", _("I agree")

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "user", "kind"], name="one_reaction_per_kind")
        ]

    def __str__(self):
        return f"{self.kind} · {self.reply_id}"


class FlagQuerySet(models.QuerySet):
    def open(self):
        """The reports the moderators have not resolved (by hiding or dismissing) yet."""
        return self.filter(resolved_at__isnull=True)


class Flag(models.Model):
    """A member's report of a reply, or of a topic's opening post, to the community's
    moderators (exactly one of ``reply`` and ``topic``)."""

    class Reason(models.TextChoices):
        OFF_TOPIC = "off_topic", _("Off topic")
        INAPPROPRIATE = "inappropriate", _("Inappropriate or offensive")
        SPAM = "spam", _("Spam or advertising")
        PERSONAL_DATA = "personal_data", _("Contains personal data")
        OTHER = "other", _("Other")

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["reply", "user"], name="one_flag_per_user"),
            models.UniqueConstraint(
                fields=["topic", "user"],
                condition=Q(topic__isnull=False),
                name="one_topic_flag_per_user",
            ),
            models.CheckConstraint(
                condition=Q(reply__isnull=False, topic__isnull=True)
                | Q(reply__isnull=True, topic__isnull=False),
                name="flag_reply_xor_topic",
            ),
        ]

    def __str__(self):
        target = f"r{self.reply_id}" if self.reply_id else f"t{self.topic_id}"
        return f"{self.get_reason_display()} · {target}"


class ModerationLogQuerySet(models.QuerySet):
    def in_community(self, community):
        """The entries of ``community``'s discussions (the community and its working groups)."""
        return self.filter(community__translation_key=community.translation_key)


class ModerationLog(models.Model):
    """Every moderation action, with who took it, on what and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Reply hidden")
        UNHIDE = "unhide", _("Reply restored")
        LOCK = "lock", _("Topic locked")
        UNLOCK = "unlock", _("Topic unlocked")
        PIN = "pin", _("Topic pinned")
        UNPIN = "unpin", _("Topic unpinned")
        MOVE = "move", _("Topic moved")
        DISMISS_FLAGS = "dismiss", _("Reports dismissed")
        HIDE_TOPIC = "hide_topic", _("Opening post hidden")
        UNHIDE_TOPIC = "unhide_topic", _("Opening post restored")
        EDIT_TOPIC = "edit_topic", _("Topic edited by a moderator")
        DELETE_TOPIC = "delete_topic", _("Topic deleted by a moderator")

    community = models.ForeignKey(
        "communities.CommunityPage", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    reply = models.ForeignKey(Reply, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class Follow(models.Model):
    """A member follows a topic or a whole community (its topics, not its working groups')."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.BooleanField(_("by email"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, community__isnull=True)
                | Q(topic__isnull=True, community__isnull=False),
                name="follow_topic_xor_community",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="follow_topic_once"
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(community__isnull=False),
                name="follow_community_once",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.topic_id or self.community_id}"


class Notification(models.Model):
    """An in-portal notification (the unread count in the header)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply")
        TOPIC = "topic", _("New topic")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_notifications"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.topic_id}"


class TopicRead(models.Model):
    """When a member last read a topic: topics with activity after it are marked unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_read_marker")]

    def __str__(self):
        return f"{self.user_id} · {self.topic_id}"


# --- Quick polls --------------------------------------------------------------------------------


class PollQuerySet(models.QuerySet):
    def with_voters(self):
        """Each poll with ``voters``: how many members voted (one query, in the database)."""
        return self.annotate(voters=models.Count("votes__user", distinct=True))


class Poll(models.Model):
    """A quick poll inside a topic (at most one per topic): a question with 2 to 10 options,
    single or multiple choice, optionally closing at a date and time. Who may add it, vote and
    see the results is the topic's policy (``discussions/permissions.py``); the writes are
    ``discussions.services.polls``."""

    topic = models.OneToOneField(
        Topic, on_delete=models.CASCADE, related_name="poll", verbose_name=_("topic")
    )
    question = models.CharField(_("question"), max_length=300)
    multiple = models.BooleanField(
        _("multiple choice"),
        default=False,
        help_text=_("Members may choose more than one option."),
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self):
        return self.question

    def is_closed(self, now=None) -> bool:
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())


class PollOption(models.Model):
    """One answer of a poll, in the order its author gave."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position"),
            models.UniqueConstraint(Lower("label"), "poll", name="poll_option_distinct"),
        ]

    def __str__(self):
        return self.label


class PollVote(models.Model):
    """A member's choice of one option: one row per (poll, option, user). ``multiple`` repeats
    the poll's (which cannot change once someone voted) so that the database itself refuses a
    second row from one member in a single-choice poll, even under concurrent requests."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    multiple = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("poll vote")
        verbose_name_plural = _("poll votes")
        constraints = [
            models.UniqueConstraint(fields=["poll", "option", "user"], name="poll_vote_once"),
            models.UniqueConstraint(
                fields=["poll", "user"],
                condition=Q(multiple=False),
                name="poll_single_choice_once",
            ),
        ]
        indexes = [models.Index(fields=["user", "poll"], name="poll_vote_user")]

    def __str__(self):
        return f"{self.poll_id} · {self.option_id} · {self.user_id}"


# Attachments live in their own module (size); re-exported here, where Django and the
# migrations look for them.
from .attachment_models import Attachment, attachment_upload_to  # noqa: E402, F401
