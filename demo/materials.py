"""Demo materials for ``manage.py load_demo`` (``demo/data/materials.toml``): the licences of
the published outputs, and two documents of the Cybersicurezza working groups, each with its
versions, comments and validation round: one approved and published in Risorse (with its public
file, its announcement to the community and the editors' news draft), one still open.

Everything goes through ``materials.services``, as the members would do it, then the dates are
moved to the past the data file gives (as ``demo.surveys`` does for its closed consultation): a
round is opened with a deadline in the future, answered, then its dates are moved and it is
decided at its (past) deadline.

Demo content emails nobody: each round's invitation is recorded as sent when it opened, and the
publication's divulgation runs here, with its deliveries dropped (``_emails_nobody``).

Idempotent: a document is looked up by its working group and title, and an existing one is left
as it is (its versions, comments and round included); a licence by its code.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Revision

from cms import errors
from communities.models import CommunityPage, Membership, WorkingGroupPage
from mailing.models import Dispatch
from materials import divulgation, services, tasks
from materials.models import (
    AuthorCredit,
    DocumentVersion,
    Licence,
    MaterialPage,
    RoundAnswer,
    RoundMailing,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)

from .content import load
from .discussions import CYBER, _users
from .pdf import build_document
from .support import emails_nobody

#: The on-commit callbacks that would email: the divulgation ``services.publish`` schedules (run
#: here instead) and an announcement's delivery.
EMAILING_CALLBACKS = {
    ("materials.services", "publish.<locals>.<lambda>"),
    ("mailing.tasks", "dispatch_announcement.<locals>.<lambda>"),
}


def _emails_nobody():
    return emails_nobody(EMAILING_CALLBACKS, "materials")


def _people() -> dict:
    """Demo users by identity key, and the extra members by email address."""
    people = dict(_users())
    for user in get_user_model().objects.filter(email__endswith=".example"):
        people.setdefault(user.email, user)
    return people


def _fresh(user):
    """A new object for ``user``: the access policy caches its answers on the instance, and the
    demo changes roles between two calls."""
    return get_user_model().objects.get(pk=user.pk)


def load_licences() -> int:
    """The licences of ``materials.toml`` missing by code; how many were created."""
    created = 0
    for spec in load("materials")["licences"]:
        _licence, new = Licence.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "url": spec["url"],
                "is_default": spec.get("default", False)
                and not Licence.objects.filter(is_default=True).exists(),
            },
        )
        created += new
    return created


def load_materials(builder) -> int:
    """The licences and the demo documents missing; how many documents were created."""
    created = 0
    with transaction.atomic():
        load_licences()
        community = CommunityPage.objects.get(slug=CYBER, locale=builder.it)
        people = _people()
        for spec in load("materials")["documents"]:
            group = (
                WorkingGroupPage.objects.descendant_of(community).filter(slug=spec["group"]).first()
            )
            if (
                group is None
                or WorkingDocument.objects.filter(working_group=group, title=spec["title"]).exists()
            ):
                continue
            try:
                with transaction.atomic(), _emails_nobody():
                    _document(builder, group, spec, people)
            except errors.ServiceError as error:
                builder.log(f"  ! “{spec['title']}” not loaded: {error.user_message}")
                continue
            created += 1
    return created


def _upload(version_spec) -> SimpleUploadedFile:
    pdf = version_spec["pdf"]
    return SimpleUploadedFile(
        f"{pdf['filename']}.pdf", build_document(pdf), content_type="application/pdf"
    )


def _content(kind, version_spec) -> dict:
    if kind == WorkingDocument.Kind.FILE:
        return {"file": _upload(version_spec)}
    return {"body": version_spec["body"]}


def _document(builder, group, spec, people) -> WorkingDocument:
    kind = spec["kind"]
    first, *later = spec["versions"]
    document = services.create_document(
        _fresh(people[first["author"]]),
        group,
        title=spec["title"],
        kind=kind,
        summary=spec["summary"],
        note=first["note"],
        **_content(kind, first),
    )
    for version_spec in later:
        services.add_version(
            _fresh(people[version_spec["author"]]),
            document,
            note=version_spec["note"],
            **_content(kind, version_spec),
        )
    versions = {v.number: v for v in document.versions.all()}
    for number, version_spec in enumerate(spec["versions"], start=1):
        DocumentVersion.objects.filter(pk=versions[number].pk).update(
            created_at=builder.now - timedelta(days=version_spec["days_ago"])
        )
    WorkingDocument.objects.filter(pk=document.pk).update(
        created_at=builder.now - timedelta(days=first["days_ago"]),
        updated_at=builder.now - timedelta(days=spec["versions"][-1]["days_ago"]),
    )
    for comment_spec in spec.get("comments", []):
        version = versions[comment_spec["version"]]
        start = builder.now - timedelta(days=spec["versions"][version.number - 1]["days_ago"])
        _comment(start, version, comment_spec, people)
    for key in spec.get("credits", []):
        services.set_author_credit(_fresh(people[key]), group, True)
    AuthorCredit.objects.filter(working_group=group).update(
        agreed_at=builder.now - timedelta(days=first["days_ago"])
    )
    if "round" in spec:
        _round(builder, document, versions[spec["round"]["version"]], spec["round"], people)
    return document


def _comment(start, version, spec, people, parent=None) -> None:
    comment = services.add_comment(
        _fresh(people[spec["author"]]), version, spec["body"], parent=parent
    )
    at = start + timedelta(hours=spec["hours"])
    VersionComment.objects.filter(pk=comment.pk).update(created_at=at)
    for reply in spec.get("replies", []):
        _comment(start, version, reply, people, parent=comment)
    if spec.get("resolved_by"):
        services.resolve_comment(_fresh(people[spec["resolved_by"]]), comment)
        last = max([spec["hours"]] + [reply["hours"] for reply in spec.get("replies", [])])
        VersionComment.objects.filter(pk=comment.pk).update(
            resolved_at=start + timedelta(hours=last + 2)
        )


def _round(builder, document, version, spec, people) -> ValidationRound:
    opened = builder.now - timedelta(days=spec["days_ago"])
    deadline = builder.at(builder.today + timedelta(days=spec["deadline_days"]), 18, 0)
    round_ = services.open_round(
        _fresh(people[spec["opened_by"]]),
        version,
        # Open now (answers go through the services), moved to its dates below.
        deadline=max(deadline, builder.now + timedelta(days=2)),
        quorum_percent=spec["quorum_percent"],
        majority=spec["majority"],
        instructions=spec["instructions"],
    )
    # The invitation went out when it opened (not again now).
    RoundMailing.objects.create(
        round=round_,
        kind=RoundMailing.Kind.INVITATION,
        sent_at=opened,
        recipients=len(tasks.recipient_ids(round_)),
    )
    for answer in spec["answers"]:
        user = people[answer["who"]]
        try:
            created = services.answer_round(
                _fresh(user), round_, answer["verdict"], answer.get("comment", "")
            )
        except errors.ServiceError as error:
            builder.log(f"  ! {user} could not answer on “{document.title}”: {error.user_message}")
            continue
        RoundAnswer.objects.filter(pk=created.pk).update(
            created_at=opened + timedelta(hours=answer["hours"])
        )
    # The participants when it opened (the quorum is counted on them).
    eligible = (
        Membership.objects.active()
        .of(document.community)
        .filter(role__in=Membership.MEMBER_ROLES, joined_at__lte=opened)
        .count()
    )
    ValidationRound.objects.filter(pk=round_.pk).update(
        opened_at=opened, deadline=deadline, eligible_count=eligible
    )
    RoundMailing.objects.filter(round=round_).update(sent_at=opened)
    round_.refresh_from_db()
    if spec.get("closed"):
        # Decided by its rule at the deadline, by the hourly job.
        round_ = services.close_round(round_, now=deadline)
    if spec.get("published_by"):
        _publish(builder, round_, people[spec["published_by"]], spec["published_days_ago"])
    return round_


def _publish(builder, round_, user, days_ago) -> MaterialPage:
    """Publish as ``user`` and divulge (the announcement, the news draft), then date it all."""
    user = _fresh(user)
    page = services.publish(user, round_)
    round_ = ValidationRound.objects.select_related("document__community", "page").get(pk=round_.pk)
    announcement = divulgation.announce(user, round_)
    news = divulgation.news_draft(user, round_)
    at = builder.at(builder.today - timedelta(days=days_ago), 11, 15)
    ValidationRound.objects.filter(pk=round_.pk).update(published_at=at)
    _date_page(page, at, publication_date=at.date())
    if page.document_id:
        get_document_model().objects.filter(pk=page.document_id).update(created_at=at)
    if announcement is not None:
        _date_page(announcement, at + timedelta(minutes=1))
        Dispatch.objects.filter(page=announcement).update(created_at=at + timedelta(minutes=1))
    if news is not None:
        _date_page(news, at + timedelta(minutes=1), live=False)
    return page


def _date_page(page, at, live=True, **fields) -> None:
    """Move a page (and its latest revision, what the admin shows) to ``at``."""
    dates = {"latest_revision_created_at": at, **fields}
    if live:
        dates |= {"first_published_at": at, "last_published_at": at}
    type(page).objects.filter(pk=page.pk).update(**dates)
    page.refresh_from_db()
    revision = Revision.objects.filter(pk=page.latest_revision_id).first()
    if revision is not None:
        content = dict(revision.content)
        for name, value in dates.items():
            if name in content:
                content[name] = value.isoformat()
        Revision.objects.filter(pk=revision.pk).update(content=content, created_at=at)
