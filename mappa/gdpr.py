"""The Mappa's part of a member's own-data export and of their account's erasure
(``membership.export``, ``membership.erasure``).

Export: my accreditation requests (with the declaration), the decisions I took on others'
requests (campaign, authority, decision; not the requester), the changes I made to my
authority's shared drafts, the responses I sent for it, and (staff) the deadline extensions.

Erasure: my accreditations are deleted (they are about me); what I did for my authority stays
as the authority's, without my name: the shared draft's history keeps the changes with no
author, a sent response keeps no sender, decisions and extensions keep no decider.
"""

from __future__ import annotations

from membership.erasure import register_eraser
from membership.export import register_exporter

from .models import Accreditation, DeadlineExtension, DraftChange, EnteDraft, Submission


def _iso(value):
    return value.isoformat() if value else None


@register_exporter("mappa_accreditations", covers=["mappa.Accreditation.user"])
def export_accreditations(user):
    rows = Accreditation.objects.filter(user=user).select_related("campaign", "ente")
    return [
        {
            "campaign": a.campaign.title,
            "authority": str(a.ente),
            "status": a.status,
            "referent": a.is_referent,
            "authorised_by": a.authorised_by,
            "authorisation_date": _iso(a.authorisation_date),
            "declaration": a.declaration,
            "requested_at": _iso(a.requested_at),
            "decided_at": _iso(a.decided_at),
            "reason": a.reason,
        }
        for a in rows.order_by("requested_at", "pk")
    ]


@register_exporter("mappa_decisions", covers=["mappa.Accreditation.decided_by"])
def export_decisions(user):
    rows = Accreditation.objects.filter(decided_by=user).select_related("campaign", "ente")
    return [
        {
            "campaign": a.campaign.title,
            "authority": str(a.ente),
            "decision": a.status,
            "decided_at": _iso(a.decided_at),
        }
        for a in rows.order_by("decided_at", "pk")
    ]


@register_exporter(
    "mappa_draft_changes", covers=["mappa.DraftChange.user", "mappa.EnteDraft.updated_by"]
)
def export_draft_changes(user):
    changes = DraftChange.objects.filter(user=user).select_related("draft__campaign", "draft__ente")
    last = EnteDraft.objects.filter(updated_by=user).select_related("campaign", "ente")
    return {
        "changes": [
            {
                "campaign": c.draft.campaign.title,
                "authority": str(c.draft.ente),
                "at": _iso(c.at),
                "changes": c.changes,
            }
            for c in changes.order_by("at", "pk")
        ],
        "drafts_last_saved_by_me": [
            {"campaign": d.campaign.title, "authority": str(d.ente), "at": _iso(d.updated_at)}
            for d in last.order_by("updated_at", "pk")
        ],
    }


@register_exporter("mappa_submissions", covers=["mappa.Submission.submitted_by"])
def export_submissions(user):
    rows = Submission.objects.filter(submitted_by=user).select_related("campaign", "ente")
    return [
        {"campaign": s.campaign.title, "authority": str(s.ente), "sent_at": _iso(s.submitted_at)}
        for s in rows.order_by("submitted_at", "pk")
    ]


@register_exporter("mappa_extensions", covers=["mappa.DeadlineExtension.by"])
def export_extensions(user):
    rows = DeadlineExtension.objects.filter(by=user).select_related("campaign")
    return [
        {
            "campaign": e.campaign.title,
            "previous": _iso(e.previous),
            "new": _iso(e.new),
            "reason": e.reason,
            "at": _iso(e.at),
        }
        for e in rows.order_by("at", "pk")
    ]


@register_eraser(
    "mappa",
    covers=[
        "mappa.Accreditation.user",
        "mappa.Accreditation.decided_by",
        "mappa.DraftChange.user",
        "mappa.EnteDraft.updated_by",
        "mappa.Submission.submitted_by",
        "mappa.DeadlineExtension.by",
    ],
)
def erase_mappa(user):
    """See the module's docstring. Idempotent."""
    Accreditation.objects.filter(user=user).delete()
    Accreditation.objects.filter(decided_by=user).update(decided_by=None)
    DraftChange.objects.filter(user=user).update(user=None)
    EnteDraft.objects.filter(updated_by=user).update(updated_by=None)
    Submission.objects.filter(submitted_by=user).update(submitted_by=None)
    DeadlineExtension.objects.filter(by=user).update(by=None)
