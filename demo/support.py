"""What several demo loaders share: the apps' staff accounts that record the demo's decisions,
and dropping the emails the services schedule while the demo is loaded."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction


def staff_account(username: str, last_name: str, email: str):
    """The staff account ``username`` (created once, with no usable password)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(
            username=username,
            first_name="Redazione",
            last_name=last_name,
            email=email,
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
    return user


@contextmanager
def emails_nobody(callbacks: set[tuple[str, str]], what: str):
    """Drop the on-commit callbacks ``callbacks`` (``(module, qualname)`` pairs: the services'
    emailing) registered in this block; the others (cache invalidations…) stay. Only inside a
    transaction (``what`` names the loader in the error)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError(f"The demo {what} are loaded inside a transaction.")
    start = len(connection.run_on_commit)
    try:
        yield
    finally:
        connection.run_on_commit[start:] = [
            entry
            for entry in connection.run_on_commit[start:]
            if (getattr(entry[1], "__module__", ""), getattr(entry[1], "__qualname__", ""))
            not in callbacks
        ]
