"""Demo discussions for ``manage.py load_demo``: a few topics in the Cybersicurezza community
and in its incident-response working group, with threaded replies by the demo members
(``demo/data/discussions.toml``).

Idempotent: a topic is looked up by its space and title; an existing one is left as it is,
except that its quick poll (``[topics.poll]``) is added if missing, with its demo votes. Rows
are written directly (with dates in the past), not through ``services``: no rate limits, no
notifications for demo content.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone

from discussions import markdown
from discussions.models import Poll, PollOption, PollVote, Reaction, Reply, Topic, TopicRead
from discussions.services import set_tags

from .content import load as load_data

CYBER = "cybersicurezza"
INCIDENT_GROUP = "piano-di-risposta-agli-incidenti"


def _users():
    """Demo users by identity key (the demo IdP's people)."""
    from demo_idp.identities import IDENTITIES

    by_fiscal = {i.fiscal_code: i.key for i in IDENTITIES}
    users = get_user_model().objects.filter(fiscal_number__in=list(by_fiscal))
    return {by_fiscal[u.fiscal_number]: u for u in users}


def _add_replies(topic, start, parent, items, users, content_type):
    for item in items:
        user = users.get(item["author"])
        text = item["text"]
        reply = Reply(
            content_type=content_type,
            object_pk=str(topic.pk),
            site_id=settings.SITE_ID,
            user=user,
            user_name=user.get_full_name() if user else "",
            user_email=user.email if user else "",
            comment=text,
            body_html=markdown.render(text),
            submit_date=start + timedelta(hours=item["hours"]),
            parent_id=parent.pk if parent else 0,
            topic=topic,
            space_id=topic.space_id,
        )
        reply.save()
        _add_replies(topic, start, reply, item.get("replies", []), users, content_type)


def _add_poll(topic, spec, users, now) -> bool:
    """``topic``'s demo poll with its votes, unless it has one; whether it was added."""
    if not spec or Poll.objects.filter(topic=topic).exists():
        return False
    days = spec.get("closes_in_days")
    poll = Poll.objects.create(
        topic=topic,
        question=spec["question"],
        multiple=spec.get("multiple", False),
        closes_at=now + timedelta(days=days) if days is not None else None,
        created_by=topic.author,
        created_at=topic.created_at,
    )
    options = PollOption.objects.bulk_create(
        PollOption(poll=poll, label=label, position=position)
        for position, label in enumerate(spec["options"], start=1)
    )
    for vote in spec.get("votes", []):
        user = users.get(vote["author"])
        chosen = vote["options"] if poll.multiple else vote["options"][:1]
        if user is None:
            continue
        PollVote.objects.bulk_create(
            PollVote(poll=poll, option=options[n - 1], user=user, multiple=poll.multiple)
            for n in chosen
        )
    return True


def load(log=None) -> int:
    """Create the demo topics that are missing; returns how many were created."""
    from cms import locales
    from communities.models import CommunityPage, WorkingGroupPage

    italian = locales.get_default()
    community = CommunityPage.objects.filter(slug=CYBER, locale=italian).first()
    group = WorkingGroupPage.objects.filter(slug=INCIDENT_GROUP, locale=italian).first()
    users = _users()
    if community is None or not users:
        return 0
    spaces = {"community": community, "group": group}
    content_type = ContentType.objects.get_for_model(Topic)
    now = timezone.now()
    created = 0
    for spec in load_data("discussions")["topics"]:
        title, body = spec["title"], spec["body"]
        space = spaces.get(spec["space"])
        if space is None:
            continue
        existing = Topic.objects.filter(space=space, title=title).first()
        if existing is not None:
            _add_poll(existing, spec.get("poll"), users, now)
            continue
        start = now - timedelta(days=spec["days_ago"])
        topic = Topic.objects.create(
            space=space,
            community=community,
            title=title,
            body=body,
            body_html=markdown.render(body),
            author=users.get(spec["author"]),
            created_at=start,
            last_activity_at=start,
            pinned=spec["pinned"],
            locked=spec["locked"],
        )
        set_tags(topic, spec["tags"])
        _add_poll(topic, spec.get("poll"), users, now)
        created += 1

        _add_replies(topic, start, None, spec.get("replies", []), users, content_type)
        stats = Reply.objects.filter(topic=topic).aggregate(last=Max("submit_date"))
        last = Reply.objects.filter(topic=topic).order_by("-submit_date").first()
        Topic.objects.filter(pk=topic.pk).update(
            reply_count=Reply.objects.filter(topic=topic).count(),
            last_activity_at=stats["last"] or start,
            last_reply_author=last.user if last else None,
        )
        if topic.author:
            TopicRead.objects.get_or_create(
                user=topic.author, topic=topic, defaults={"read_at": start}
            )
        first = Reply.objects.filter(topic=topic, level=0).first()
        if first and users.get("coordinatore") and first.user != users["coordinatore"]:
            Reaction.objects.get_or_create(reply=first, user=users["coordinatore"], kind="thanks")
    if log and created:
        log(f"Discussioni: {created} argomenti di esempio")
    return created
