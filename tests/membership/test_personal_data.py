"""The map of personal data: every relation of every installed model to the user model (foreign
keys, one-to-ones, many-to-manys, generic references) is exported and erased by a registered
exporter and eraser, or declared with the reason it is not. A model added later with a relation
to the user fails here until its app says what the export and the erasure do with it."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from membership import erasure, export, gdpr


def test_the_walk_finds_the_relations_it_must():
    relations = set(gdpr.user_relations())
    # Foreign keys of the portal's apps and of third-party apps, declared on the model itself.
    assert {
        "membership.Consent.user",
        "communities.Membership.user",
        "discussions.Follow.user",
        "django_comments.Comment.user",  # the replies' author (inherited by discussions.Reply)
        "authtoken.Token.user",  # a one-to-one
        "wagtailcore.Page.owner",
    } <= relations
    # Generic references (content type + object id) that can name a user row.
    assert "wagtailcore.ModelLogEntry.object_id" in relations
    # Inherited fields count once, on the model that declares them; proxies not at all.
    assert "discussions.Reply.user" not in relations
    assert "authtoken.TokenProxy.user" not in relations
    # A model's own many-to-many to the user counts (e.g. a future "participants" field).
    user_model = get_user_model()
    m2m = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        for f in m._meta.local_many_to_many
        if f.related_model is user_model
    ]
    assert set(m2m) <= relations


@pytest.mark.parametrize(
    ("kind", "covered", "declared"),
    [
        ("export", export.covered_relations, gdpr.not_exported),
        ("erasure", erasure.covered_relations, gdpr.not_erased),
    ],
)
def test_every_relation_to_the_user_is_handled_or_declared(kind, covered, declared):
    relations = gdpr.user_relations()
    handled, reasons = covered(), declared()
    forgotten = [r for r in relations if r not in handled and r not in reasons]
    assert not forgotten, (
        f"relations to the user model neither covered by the {kind} nor declared with a reason "
        f"(membership.gdpr.declare) — add them to the app's gdpr.py: {forgotten}"
    )
    # The lists stay true: nothing covered or declared that does not exist, no empty reason.
    stale = sorted((set(handled) | set(reasons)) - set(relations))
    assert not stale, f"{kind}: covered or declared relations that do not exist: {stale}"
    assert all(reason.strip() for reason in reasons.values())
    both = sorted(set(handled) & set(reasons))
    assert not both, f"{kind}: both covered and declared as left out: {both}"


def test_erasers_run_the_account_last():
    names = list(erasure.erasers())
    assert names[-1] == "account"
    assert names.index("api_tokens") < names.index("memberships") < names.index("account")
