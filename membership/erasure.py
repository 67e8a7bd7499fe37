"""Erasure of a member's data when they delete their account (GDPR art. 17).

Like the export (``membership.export``), erasure is a registry: every app registers an *eraser*
for its own data — a callable taking the user that deletes or anonymises the rows about them —
from its ``AppConfig.ready()`` (``communities/gdpr.py``, ``discussions/gdpr.py``…), so that this
app never imports the apps built on it::

    from membership.erasure import register_eraser

    @register_eraser("follows", covers=["discussions.Follow.user"])
    def erase_follows(user):
        Follow.objects.filter(user=user).delete()

``covers`` names the relations to the user model (``"app_label.Model.field"``) the eraser deletes
or anonymises; a relation left as it is must be declared with its reason
(``membership.gdpr.declare``): ``tests/membership/test_personal_data.py`` checks both.

``erase_user`` runs every eraser in one transaction, by ``order`` (the account row itself is
anonymised last, ``membership.gdpr``), invalidates the page cache (``cms.cache``: a public page
may name the member), then records the deletion in the audit trail with the user id only.
Erasers must be idempotent: ``manage.py erase_deleted_accounts`` runs them again over accounts
deleted before an eraser existed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

Eraser = Callable[[Any], Any]


@dataclass(frozen=True)
class _Registered:
    func: Eraser
    covers: tuple[str, ...]
    order: int


_ERASERS: dict[str, _Registered] = {}

#: ``order`` of the eraser that anonymises the account row itself (it runs last).
ACCOUNT_ORDER = 1000


def register_eraser(name: str, *, covers: tuple[str, ...] | list[str] = (), order: int = 100):
    """Decorator: run ``func(user)`` when ``user`` deletes their account (lower ``order`` first)."""

    def decorator(func: Eraser) -> Eraser:
        _ERASERS[name] = _Registered(func, tuple(covers), order)
        return func

    return decorator


def unregister_eraser(name: str):
    _ERASERS.pop(name, None)


def erasers() -> dict[str, Eraser]:
    ordered = sorted(_ERASERS.items(), key=lambda item: (item[1].order, item[0]))
    return {name: registered.func for name, registered in ordered}


def covered_relations() -> dict[str, str]:
    """``{relation: eraser name}`` for every relation an eraser declares it covers."""
    return {
        relation: name for name, registered in _ERASERS.items() for relation in registered.covers
    }


@transaction.atomic
def erase_user(user, *, record: bool = True):
    """Erase ``user``'s personal data: every registered eraser, then an audit entry carrying
    the user id only (``record=False`` when repeating the erasure of an already deleted
    account)."""
    from cms import cache

    for func in erasers().values():
        func(user)
    # Public pages may name the member (a community's coordinators and support team): no
    # stored copy outlives the erasure (bumped now and when the transaction commits).
    cache.invalidate()
    if record:
        from cms import audit

        audit.record(
            "membership.account_delete",
            user,
            actor=user,
            data={"user_id": user.pk},
            title=f"user #{user.pk}",
        )
    return user
