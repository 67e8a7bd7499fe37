"""A community with its reserved area and a working group, and one user per column of the
permission matrix (docs/permissions.md)."""

import copy
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from communities.models import Membership, WorkingGroupMembership
from tests import factories as base
from tests.conftest import build_site, module_transaction

from . import factories

COLUMNS = [
    "anonymous",
    "registered",
    "participant",
    "designated",
    "wg_member",
    "wg_coordinator",
    "coordinator",
    "support",
    "other_member",
    "staff",
]

#: Members under a measure of the managers (docs/permissions.md, "Members under a measure"),
#: in the shared world only.
MEASURE_COLUMNS = ["suspended", "suspension_over", "removed", "revoked"]


def fresh(user):
    """A new object for ``user``: no per-request caches of the access policy."""
    if user is None or not getattr(user, "pk", None):
        return user
    return get_user_model().objects.get(pk=user.pk)


def make_member(community, role=Membership.Role.PARTICIPANT, user=None, **kwargs):
    user = user or factories.RegisteredUserFactory()
    membership = factories.MembershipFactory(user=user, community=community, role=role, **kwargs)
    if role == Membership.Role.DESIGNATED:
        factories.DesignationFactory(membership=membership)
    return user


def build_world(site_tree):
    w = SimpleNamespace(tree=site_tree)
    w.community = base.CommunityPageFactory(
        parent=site_tree.communities, title="Cybersicurezza", slug="cybersicurezza"
    )
    w.area = factories.CommunityAreaPageFactory(parent=w.community)
    w.announcement = factories.ReservedPageFactory(parent=w.area, title="Riunione di avvio")
    w.group = factories.WorkingGroupPageFactory(parent=w.area, title="Gestione incidenti")
    w.group_page = factories.ReservedPageFactory(parent=w.group, title="Bozza linee guida")
    w.other = base.CommunityPageFactory(
        parent=site_tree.communities, title="Dati aperti", slug="dati-aperti"
    )
    w.other_area = factories.CommunityAreaPageFactory(parent=w.other)

    Role = Membership.Role
    users = {"anonymous": None}
    users["registered"] = factories.RegisteredUserFactory()
    users["participant"] = make_member(w.community, Role.PARTICIPANT)
    users["designated"] = make_member(w.community, Role.DESIGNATED)
    for column, wg_role in (
        ("wg_member", WorkingGroupMembership.Role.MEMBER),
        ("wg_coordinator", WorkingGroupMembership.Role.COORDINATOR),
    ):
        user = make_member(w.community, Role.DESIGNATED)
        factories.WorkingGroupMembershipFactory(user=user, group=w.group, role=wg_role)
        users[column] = user
    users["coordinator"] = make_member(w.community, Role.COORDINATOR)
    users["support"] = make_member(
        w.community, Role.SUPPORT, support_kind=Membership.SupportKind.ANCI_DTD
    )
    users["other_member"] = make_member(w.other, Role.DESIGNATED)
    users["staff"] = factories.StaffUserFactory()
    w.users = users
    # A designated member whose designation the matrix's designation rows act on.
    w.subject = make_member(w.community, Role.DESIGNATED)
    w.designation = Membership.objects.get(user=w.subject, community=w.community).designation
    return w


def add_measures(w):
    """One member per column of ``MEASURE_COLUMNS``, the measures taken through the services
    (a passed suspension is moved into the past afterwards)."""
    import datetime

    from django.utils import timezone

    from communities import services

    Role = Membership.Role
    coordinator = fresh(w.users["coordinator"])
    now = timezone.now()
    for column in ("suspended", "suspension_over", "removed"):
        user = make_member(w.community, Role.DESIGNATED)
        factories.WorkingGroupMembershipFactory(user=user, group=w.group)
        w.users[column] = user
    for column in ("suspended", "suspension_over"):
        membership = Membership.objects.get(user=w.users[column], left_at__isnull=True)
        services.suspend_member(
            coordinator, membership, now + datetime.timedelta(days=7), "Messaggi offensivi"
        )
    Membership.objects.filter(user=w.users["suspension_over"]).update(
        suspended_until=now - datetime.timedelta(days=1)
    )
    membership = Membership.objects.get(user=w.users["removed"], left_at__isnull=True)
    services.remove_member(coordinator, membership, "Non rispetta le regole della Community")
    w.users["revoked"] = make_member(w.community, Role.DESIGNATED)
    designation = Membership.objects.get(user=w.users["revoked"]).designation
    services.revoke_designation(coordinator, designation, "Nomina non più valida")
    return w


def add_event_targets(w):
    """The events' targets of the matrix: a public event of the community and a members-only
    event in its reserved area. Who may edit pages in Wagtail is the organiser: the staff editor
    gets the editors' grant on the home page (stopped at the reserved spaces), the coordinator
    and the support team a grant on their community's subtree (as the per-community groups kept
    by the membership code give them)."""
    from tests.events.factories import EventPageFactory, grant_edit

    w.public_event = EventPageFactory(parent=w.community, title="Apertura annuale")
    w.members_event = EventPageFactory(parent=w.area, title="Riunione riservata")
    grant_edit([w.users["staff"]], w.tree.home, name="Redazione di prova")
    grant_edit([w.users["coordinator"], w.users["support"]], w.community)
    return w


def add_survey_targets(w):
    """The surveys' targets of the matrix: an open questionnaire of the portal's "Sondaggi" and
    an open consultation in the community's reserved area (after ``add_event_targets``: the
    editors' grant on the home page)."""
    from tests.surveys.factories import SurveyIndexPageFactory, SurveyPageFactory

    index = SurveyIndexPageFactory(parent=w.tree.home)
    w.portal_survey = SurveyPageFactory(parent=index, title="Sondaggio del portale")
    w.consultation = SurveyPageFactory(parent=w.area, title="Consultazione della comunità")
    return w


@pytest.fixture(scope="module")
def _world_rows(django_db_setup, django_db_blocker):
    """The world's rows, built once per module (some 700 queries: pages, users, memberships)."""
    with module_transaction(django_db_blocker):
        yield build_world(build_site())


@pytest.fixture
def world(_world_rows, db):
    """The communities world for one test: the module's rows (the test's writes are rolled back
    after it) and a fresh copy of its objects, so that what a test changes on them (attributes,
    caches of the access policy) never reaches the next test."""
    return copy.deepcopy(_world_rows)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The same world, built once per module for read-only tests (the permission matrix).

    Built inside a transaction that is rolled back when the module ends; each test runs in a
    savepoint inside it, as usual.
    """
    with module_transaction(django_db_blocker):
        yield add_survey_targets(add_event_targets(add_measures(build_world(build_site()))))


def user_for(world, column):
    from django.contrib.auth.models import AnonymousUser

    user = world.users[column]
    return AnonymousUser() if user is None else fresh(user)
