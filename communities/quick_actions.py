"""The managers' quick actions on the site (the community page and its management home): edit
the plan, write an announcement, create an event, manage the files. They lead into Wagtail's
admin, scoped to the community (``communities.spaces``); each is shown only to who may use it
there (Wagtail's own permission tester and collection policy answer). The page types of the
apps above (``mailing.AnnouncementPage``, ``events.EventPage``) are named by string: shown only
when installed and allowed below the reserved area (``subpage_types``)."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from cms import access

from .models import CommunityAreaPage, ReservedSpace
from .permissions import Action

#: ``(app label, model name, label)`` of the pages created under the reserved area.
NEW_PAGES = (
    ("mailing", "announcementpage", "New announcement"),
    ("events", "eventpage", "New event"),
)


def _page_model(app_label, model_name):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _labels():
    return {"New announcement": _("New announcement"), "New event": _("New event")}


def quick_actions(user, community) -> list[dict]:
    """``[{"label", "url", "key"}]`` for ``user`` on ``community`` (none for most users: one
    policy question, before any query)."""
    if not user.is_authenticated or not access.can(user, Action.EDIT_PLAN, community):
        return []
    actions = []
    if community.permissions_for_user(user).can_edit():
        actions.append(
            {
                "key": "edit_plan",
                "label": _("Edit the plan"),
                "url": reverse("wagtailadmin_pages:edit", args=[community.pk]),
            }
        )
    area = CommunityAreaPage.objects.child_of(community).first()
    if area is not None:
        tester = area.permissions_for_user(user)
        allowed = set(CommunityAreaPage.allowed_subpage_models())
        labels = _labels()
        for app_label, model_name, label in NEW_PAGES:
            model = _page_model(app_label, model_name)
            if model is None or model not in allowed or not tester.can_add_subpage():
                continue
            actions.append(
                {
                    "key": model_name,
                    "label": labels[label],
                    "url": reverse("wagtailadmin_pages:add", args=[app_label, model_name, area.pk]),
                }
            )
    collection_id = (
        ReservedSpace.objects.filter(
            kind=ReservedSpace.Kind.COMMUNITY, translation_key=community.translation_key
        )
        .values_list("collection_id", flat=True)
        .first()
    )
    if collection_id is not None and _may_add_documents(user, collection_id):
        actions.append(
            {
                "key": "files",
                "label": _("Manage files"),
                "url": reverse("wagtaildocs:index") + f"?collection_id={collection_id}",
            }
        )
    return actions


def _may_add_documents(user, collection_id) -> bool:
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(get_document_model())
    return (
        policy.collections_user_has_any_permission_for(user, ["add"])
        .filter(pk=collection_id)
        .exists()
    )
