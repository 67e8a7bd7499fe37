"""A small hand-built community whose figures are known (docs in test_figures.py): members
joining and leaving in different months of 2025, every role, regions and kinds of Ente, topics
and replies; a second community for the portal's figures. Dates are fixed, never today's."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from communities.models import Membership
from membership.models import Ente
from tests import factories as base
from tests.communities import factories
from tests.discussions.factories import ReplyFactory, TopicFactory

ROME = ZoneInfo("Europe/Rome")
Role = Membership.Role


def at(month, day, hour=12, minute=0, year=2025):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ROME)


def ente(region, kind=Ente.Kind.COMUNE):
    return base.EnteFactory(region=region, kind=kind)


def person(ente_obj):
    return factories.RegisteredUserFactory(ente=ente_obj)


def join(user, community, role, joined, left=None, **kwargs):
    if role == Role.SUPPORT:
        kwargs.setdefault("support_kind", Membership.SupportKind.EXPERT)
    end = {"left_at": left, "end_reason": Membership.EndReason.LEFT} if left else {}
    return factories.MembershipFactory(
        user=user, community=community, role=role, joined_at=joined, **end, **kwargs
    )


def build_dataset(site_tree):
    d = SimpleNamespace()
    d.community = base.CommunityPageFactory(
        parent=site_tree.communities, title="Cybersicurezza", slug="cybersicurezza"
    )
    d.other = base.CommunityPageFactory(
        parent=site_tree.communities, title="Dati aperti", slug="dati-aperti"
    )
    lazio, lazio_unione = ente("Lazio"), ente("Lazio", Ente.Kind.UNIONE)
    toscana = ente("Toscana")
    u = {name: person(lazio) for name in ("u1", "u2", "u6", "u8")}
    u["u3"] = person(lazio_unione)
    u["u4"] = person(toscana)
    u["u5"] = factories.RegisteredUserFactory(ente=None)
    u["u7"] = person(ente("Toscana"))
    c = d.community
    join(u["u1"], c, Role.PARTICIPANT, at(1, 10))
    join(u["u2"], c, Role.DESIGNATED, at(2, 5), left=at(4, 20))
    join(u["u3"], c, Role.COORDINATOR, at(12, 1, year=2024))
    join(u["u4"], c, Role.SUPPORT, at(3, 3))
    join(u["u5"], c, Role.PARTICIPANT, at(3, 15))
    join(u["u6"], c, Role.PARTICIPANT, at(5, 31, 23, 30))  # still May in Rome (21:30 UTC)
    join(u["u8"], c, Role.PARTICIPANT, at(6, 10), left=at(6, 12))
    join(u["u7"], d.other, Role.COORDINATOR, at(2, 1))
    join(u["u1"], d.other, Role.PARTICIPANT, at(4, 1))
    d.users = u

    author = u["u3"]
    for when in (at(2, 2), at(2, 20), at(4, 1)):
        TopicFactory(space=c, author=author, created_at=when)
    topic = TopicFactory(space=c, author=author, created_at=at(1, 1, year=2024))
    for when in (at(4, 2), at(4, 3), at(4, 30, 23, 59)):
        ReplyFactory(topic=topic, user=u["u1"], submit_date=when)
    ReplyFactory(topic=topic, user=u["u4"], submit_date=at(5, 1, 0, 1))
    elsewhere = TopicFactory(space=d.other, author=u["u7"], created_at=at(4, 5))
    ReplyFactory(topic=elsewhere, user=u["u7"], submit_date=at(4, 6))
    d.staff = factories.StaffUserFactory()
    d.stranger = factories.RegisteredUserFactory()
    return d


@pytest.fixture
def dataset(site_tree):
    return build_dataset(site_tree)
