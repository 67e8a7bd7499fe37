"""The map of the personal data the portal holds about a user, and this app's part of the
export (GDPR art. 15 and 20) and the erasure (art. 17).

Every relation to the user model (a foreign key, one-to-one or many-to-many, and the generic
references through a content type and an object id) is a place where personal data may live.
``user_relations()`` lists them all from the model registry; each one must be

- exported by a registered exporter (``membership.export.register_exporter(covers=...)``) or
  declared with the reason it is not (``declare(relation, export=reason)``), and
- erased or anonymised by a registered eraser (``membership.erasure.register_eraser(covers=...)``)
  or declared with the reason it stays (``declare(relation, erase=reason)``).

``tests/membership/test_personal_data.py`` fails on any relation that is neither, so a model
added later cannot be forgotten. Each app declares its own relations in its ``gdpr.py``; the
relations of third-party apps (Wagtail, django-comments, DRF's tokens) are declared here.
"""

from __future__ import annotations

import uuid

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from .erasure import ACCOUNT_ORDER, register_eraser
from .export import register_exporter
from .models import Consent, Ente

_NOT_EXPORTED: dict[str, str] = {}
_NOT_ERASED: dict[str, str] = {}


def declare(relation: str, *, export: str | None = None, erase: str | None = None):
    """Declare why ``relation`` (``"app_label.Model.field"``) is not exported (``export``)
    and/or why it is left as it is when the account is deleted (``erase``)."""
    if export:
        _NOT_EXPORTED[relation] = export
    if erase:
        _NOT_ERASED[relation] = erase


def not_exported() -> dict[str, str]:
    return dict(_NOT_EXPORTED)


def not_erased() -> dict[str, str]:
    return dict(_NOT_ERASED)


def user_relations() -> list[str]:
    """Every field of an installed model that can point at a user row, as
    ``"app_label.Model.field"``: the foreign keys, one-to-ones and many-to-manys to the user
    model declared on the model itself (inherited ones count once, on the parent), and the
    generic references (a content type plus an object id, which may name a user)."""
    user_model = get_user_model()
    found = set()
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # a proxy's fields are its concrete model's
        label = model._meta.label
        local = [*model._meta.local_fields, *model._meta.local_many_to_many]
        names = {field.name for field in local}
        for field in local:
            if field.related_model is user_model:
                found.add(f"{label}.{field.name}")
            elif field.related_model is ContentType:
                for id_name in (
                    field.name.replace("content_type", "object_id"),
                    field.name.replace("content_type", "object_pk"),
                ):
                    if id_name != field.name and id_name in names:
                        found.add(f"{label}.{id_name}")
    return sorted(found)


def account_label(pk) -> str:
    """The label of an audit entry about an account: its id only, never a name."""
    return f"user #{pk}"


def anonymise_audit_labels(model, pks) -> int:
    """Replace the label (by default the object's ``str()``, often a person's name) of the audit
    entries about the ``model`` rows ``pks`` with the object id; returns how many changed."""
    from wagtail.models import ModelLogEntry

    pks = [str(pk) for pk in pks]
    if not pks:
        return 0
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return ModelLogEntry.objects.filter(content_type=content_type, object_id__in=pks).update(
        label=Concat(Value("#"), "object_id")
    )


def _iso(value):
    return value.isoformat() if value else None


# --- This app's data ------------------------------------------------------------------------


@register_exporter("proposed_authorities", covers=["membership.Ente.proposed_by"])
def export_proposed_authorities(user):
    return [
        {
            "name": ente.name,
            "kind": ente.kind,
            "ipa_code": ente.ipa_code,
            "region": ente.region,
            "status": ente.status,
            "created_at": _iso(ente.created_at),
        }
        for ente in Ente.objects.filter(proposed_by=user).order_by("created_at", "pk")
    ]


@register_exporter("api_tokens", covers=["authtoken.Token.user", "wagtailcore.APIToken.user"])
def export_api_tokens(user):
    """The API tokens, never their secret: the first characters identify a token."""
    tokens = []
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        tokens += [
            {"api": "community", "key_prefix": token.key[:4], "created": _iso(token.created)}
            for token in Token.objects.filter(user=user)
        ]
    from wagtail.models import APIToken

    tokens += [
        {
            "api": "wagtail",
            "name": token.name,
            "key_prefix": token.prefix,
            "created": _iso(token.created),
            "revoked_at": _iso(token.revoked_at),
            "last_used_at": _iso(token.last_used_at),
        }
        for token in APIToken.objects.filter(user=user).order_by("created")
    ]
    return tokens


@register_exporter(
    "audit_trail",
    covers=[
        "wagtailcore.ModelLogEntry.user",
        "wagtailcore.ModelLogEntry.object_id",
        "wagtailcore.PageLogEntry.user",
    ],
)
def export_audit_trail(user):
    """The audit entries done by the user or about their account (``cms.audit.entries_about``):
    what, when, on which kind of object and the entry's ids and codes (never its label, which may
    name someone else)."""
    from wagtail.log_actions import registry

    from cms import audit

    model_entries, page_entries = audit.entries_about(user)
    rows = []
    for entry in [
        *model_entries.select_related("content_type"),
        *page_entries.select_related("content_type"),
    ]:
        action_label = (
            str(registry.get_action_label(entry.action))
            if registry.action_exists(entry.action)
            else entry.action
        )
        content_type = entry.content_type
        rows.append(
            {
                "action": entry.action,
                "action_label": action_label,
                "timestamp": _iso(entry.timestamp),
                "object_type": f"{content_type.app_label}.{content_type.model}"
                if content_type
                else None,
                "object_id": str(entry.object_id),
                "by_me": entry.user_id == user.pk,
                "data": entry.data,
            }
        )
    rows.sort(key=lambda row: row["timestamp"] or "")
    return rows


@register_eraser(
    "api_tokens", covers=["authtoken.Token.user", "wagtailcore.APIToken.user"], order=10
)
def erase_api_tokens(user):
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=user).delete()
    from wagtail.models import APIToken

    APIToken.objects.filter(user=user).delete()


@register_eraser(
    "audit_trail",
    covers=["wagtailcore.ModelLogEntry.user", "wagtailcore.ModelLogEntry.object_id"],
    order=ACCOUNT_ORDER - 10,
)
def erase_audit_labels(user):
    """The entries stay (the security record, kept for ``AUDIT_RETENTION_DAYS``), linked to the
    anonymised account; their labels lose any name."""
    from wagtail.models import ModelLogEntry

    user_type = ContentType.objects.get_for_model(get_user_model(), for_concrete_model=False)
    ModelLogEntry.objects.filter(
        Q(user_id=user.pk) | Q(content_type=user_type, object_id=str(user.pk))
    ).update(label=Concat(Value("#"), "object_id"))


@register_eraser(
    "account",
    covers=["membership.Consent.user", "membership.Ente.proposed_by"],
    order=ACCOUNT_ORDER,
)
def anonymise_account(user):
    """The account row stays, so that what the member wrote (topics, replies) keeps its author
    reference, shown as a former participant; everything personal on it goes."""
    user.username = f"deleted-{uuid.uuid4()}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.fiscal_number = None
    user.ente = None
    user.contact_email = ""
    user.phone = ""
    user.office = ""
    user.position = ""
    user.show_in_directory = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login_method = ""
    user.deleted_at = user.deleted_at or timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    Consent.objects.filter(user=user).delete()
    Ente.objects.filter(proposed_by=user).update(proposed_by=None)


# --- Third-party apps -----------------------------------------------------------------------

_STAFF_ONLY = (
    "Wagtail admin data: editorial work on the portal's pages and files. Staff reach the admin, "
    "and so do a community's coordinator and support team, on their community's pages only "
    "(communities.spaces); their revisions, uploads and page ownership stay with the pages, "
    "linked to the anonymised account (no name remains); staff accounts are managed and "
    "deleted in Wagtail's user admin."
)
_NOT_A_USER = "a generic reference to pages, content or snippets, never to a user row"

for _relation in (
    "wagtailcore.Page.owner",
    "wagtailcore.Page.locked_by",
    "wagtailcore.Revision.user",
    "wagtailcore.WorkflowState.requested_by",
    "wagtailcore.TaskState.finished_by",
    "wagtailcore.Comment.user",
    "wagtailcore.Comment.resolved_by",
    "wagtailcore.CommentReply.user",
    "wagtailcore.PageSubscription.user",
    "wagtailcore.UploadedFile.uploaded_by_user",
    "wagtaildocs.Document.uploaded_by_user",
    "wagtailimages.Image.uploaded_by_user",
    "wagtailadmin.EditingSession.user",
    "wagtailadmin.FormState.user",
    "wagtailusers.UserProfile.user",
    "wagtail_localize.StringTranslation.last_translated_by",
    "wagtail_localize.SegmentOverride.last_translated_by",
):
    declare(_relation, export=_STAFF_ONLY, erase=_STAFF_ONLY)

declare(
    "wagtailcore.PageLogEntry.user",
    erase="page actions (staff's): the entry stays in the audit trail for its retention period, "
    "linked to the anonymised account; its label is the page's title",
)

for _relation in (
    "wagtailcore.Revision.object_id",
    "wagtailcore.WorkflowState.object_id",
    "wagtailcore.ReferenceIndex.object_id",
    "wagtailcore.ReferenceIndex.to_object_id",
    "wagtailsearch.IndexEntry.object_id",
    "wagtailadmin.EditingSession.object_id",
    "wagtailadmin.FormState.object_id",
    "taggit.TaggedItem.object_id",
    "django_comments.Comment.object_pk",
):
    declare(_relation, export=_NOT_A_USER, erase=_NOT_A_USER)
