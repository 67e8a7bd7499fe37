"""Groups, view restrictions and private collections follow the pages and the memberships."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from cms import access
from communities import permissions as community_permissions
from communities import services
from communities.models import Designation, Membership, ReservedSpace, WorkingGroupMembership
from tests import factories as base

from . import factories
from .conftest import fresh

pytestmark = pytest.mark.django_db

Role = Membership.Role


def group_names(user):
    return set(fresh(user).groups.values_list("name", flat=True))


def space(page, kind=ReservedSpace.Kind.COMMUNITY):
    return ReservedSpace.objects.get(kind=kind, translation_key=page.translation_key)


def test_community_page_gets_groups_and_private_collection(world):
    community_space = space(world.community)
    assert "Cybersicurezza" in community_space.members_group.name
    assert community_space.managers_group is not None
    restriction = CollectionViewRestriction.objects.get(collection=community_space.collection)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert set(restriction.groups.all()) == {
        community_space.members_group,
        community_space.managers_group,
    }


def test_reserved_area_restricted_to_community_groups(world):
    community_space = space(world.community)
    restriction = PageViewRestriction.objects.get(page=world.area)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert set(restriction.groups.all()) == {
        community_space.members_group,
        community_space.managers_group,
    }


def test_working_group_restricted_to_its_group_and_managers(world):
    group_space = space(world.group, ReservedSpace.Kind.WORKING_GROUP)
    community_space = space(world.community)
    restriction = PageViewRestriction.objects.get(page=world.group)
    assert set(restriction.groups.all()) == {
        group_space.members_group,
        community_space.managers_group,
    }
    # Its documents live in a sub-collection of the community's, restricted to the same groups.
    assert group_space.collection.get_parent() == community_space.collection
    collection_restriction = CollectionViewRestriction.objects.get(
        collection=group_space.collection
    )
    assert set(collection_restriction.groups.all()) == {
        group_space.members_group,
        community_space.managers_group,
    }


def test_join_leave_and_switch_role_follow_groups(world):
    user = factories.RegisteredUserFactory()
    members = space(world.community).members_group.name
    managers = space(world.community).managers_group.name
    services.join(fresh(user), world.community)
    assert members in group_names(user)
    assert managers not in group_names(user)

    with pytest.raises(ValidationError):
        services.join(fresh(user), world.community)
    assert Membership.objects.filter(user=user).count() == 1

    services.switch_role(
        fresh(user), world.community, Role.DESIGNATED, signed_by="sindaco", act_date="2026-01-10"
    )
    membership = Membership.objects.get(user=user, left_at__isnull=True)
    assert membership.role == Role.DESIGNATED
    assert membership.designation.status == Designation.Status.DECLARED

    services.leave(fresh(user), world.community)
    assert members not in group_names(user)
    assert not PageViewRestriction.objects.get(page=world.area).accept_request(
        type("R", (), {"user": fresh(user), "session": {}})()
    )


def test_staff_assigned_manager_enters_managers_group(world):
    user = factories.RegisteredUserFactory()
    membership = factories.MembershipFactory(user=user, community=world.community)
    managers = space(world.community).managers_group.name
    assert managers not in group_names(user)
    membership.role = Role.COORDINATOR
    membership.save()
    assert managers in group_names(user)
    membership.role = Role.PARTICIPANT
    membership.save()
    assert managers not in group_names(user)
    membership.delete()
    assert not group_names(user)


def test_working_group_membership_follows_status(world):
    designated = fresh(world.users["designated"])
    coordinator = fresh(world.users["coordinator"])
    group_name = space(world.group, ReservedSpace.Kind.WORKING_GROUP).members_group.name
    invitation = services.invite(coordinator, designated, world.group)
    assert invitation.status == WorkingGroupMembership.Status.INVITED
    assert group_name not in group_names(designated)
    assert not access.can(fresh(designated), "view_working_group", world.group)

    services.answer_invitation(fresh(designated), world.group, accept=True)
    assert group_name in group_names(designated)
    assert access.can(fresh(designated), "view_working_group", world.group)

    # Back to simple participant: out of every working group of the community.
    services.switch_role(fresh(designated), world.community, Role.PARTICIPANT)
    assert group_name not in group_names(designated)
    assert not access.can(fresh(designated), "view_working_group", world.group)


def test_request_to_join_and_acceptance(world):
    designated = fresh(world.users["designated"])
    services.request_to_join(designated, world.group)
    with pytest.raises(PermissionDenied):  # asked already
        services.request_to_join(fresh(designated), world.group)
    group_coordinator = fresh(world.users["wg_coordinator"])
    services.answer_request(group_coordinator, designated, world.group, accept=True)
    assert access.can(fresh(designated), "view_working_group", world.group)
    services.set_group_coordinator(group_coordinator, designated, world.group)
    assert community_permissions.working_group_role(fresh(designated), world.group) == (
        "coordinator",
        "active",
    )
    assert community_permissions.working_group_role(fresh(group_coordinator), world.group) == (
        "member",
        "active",
    )


def test_participant_cannot_be_invited_nor_ask(world):
    participant = fresh(world.users["participant"])
    with pytest.raises(ValidationError):
        services.invite(fresh(world.users["coordinator"]), participant, world.group)
    with pytest.raises(PermissionDenied):
        services.request_to_join(participant, world.group)
    with pytest.raises(PermissionDenied):
        services.invite(fresh(world.users["designated"]), participant, world.group)
    assert not WorkingGroupMembership.objects.filter(user=participant).exists()


def test_joining_needs_completed_registration(world):
    newcomer = base.UserFactory(onboarded=False)
    with pytest.raises(PermissionDenied):
        services.join(fresh(newcomer), world.community)
    staff = factories.StaffUserFactory()
    with pytest.raises(PermissionDenied):
        services.join(fresh(staff), world.community)
    assert not Membership.objects.filter(user__in=[newcomer, staff]).exists()


def test_designation_needs_valid_act(world):
    user = factories.RegisteredUserFactory()
    not_pdf = SimpleUploadedFile("nomina.pdf", b"just text", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.join(
            fresh(user),
            world.community,
            Role.DESIGNATED,
            signed_by="rtd",
            act_date="2026-01-10",
            act_file=not_pdf,
        )
    big = SimpleUploadedFile("nomina.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError):
        services.join(
            fresh(user),
            world.community,
            Role.DESIGNATED,
            signed_by="rtd",
            act_date="2026-01-10",
            act_file=big,
        )
    with pytest.raises(ValidationError):  # no signatory, no date
        services.join(fresh(user), world.community, Role.DESIGNATED)
    assert not Membership.objects.filter(user=user).exists()

    good = SimpleUploadedFile("nomina.pdf", b"%PDF-1.4\n% nomina\n")
    membership = services.join(
        fresh(user),
        world.community,
        Role.DESIGNATED,
        signed_by="rtd",
        act_date="2026-01-10",
        act_file=good,
    )
    stored = membership.designation.act_file
    assert stored.name.endswith(".pdf") and "nomina" not in stored.name
    with pytest.raises(ValueError):
        stored.url  # noqa: B018 - private files have no URL


def test_designation_workflow_and_revocation(world, django_capture_on_commit_callbacks):
    from communities import signals

    designation = world.designation
    coordinator = fresh(world.users["coordinator"])
    with pytest.raises(PermissionDenied):
        services.verify_designation(fresh(world.users["participant"]), designation)
    subjects = []

    def heard(sender, subject, **kwargs):
        subjects.append(subject)

    # The member is told by a notice (communities.notices), which the mailing app emails.
    signals.member_notified.connect(heard, dispatch_uid="test_copy_requested")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.request_designation_copy(coordinator, designation)
    finally:
        signals.member_notified.disconnect(dispatch_uid="test_copy_requested")
    assert len(subjects) == 1
    assert "Cybersicurezza" in subjects[0]
    designation.refresh_from_db()
    assert designation.status == Designation.Status.COPY_REQUESTED
    assert designation.copy_requested_by == coordinator
    services.verify_designation(coordinator, designation)
    assert designation.status == Designation.Status.VERIFIED
    services.revoke_designation(coordinator, designation)
    designation.membership.refresh_from_db()
    assert designation.status == Designation.Status.REVOKED
    assert designation.membership.role == Role.PARTICIPANT


def test_managers_cannot_leave_by_themselves(world):
    with pytest.raises(PermissionDenied):
        services.leave(fresh(world.users["coordinator"]), world.community)


def test_restriction_repaired_on_publish_and_by_command(world):
    PageViewRestriction.objects.filter(page=world.area).delete()
    PageViewRestriction.objects.create(page=world.area, restriction_type=PageViewRestriction.LOGIN)
    world.area.save_revision().publish()
    restriction = PageViewRestriction.objects.get(page=world.area)
    assert restriction.restriction_type == PageViewRestriction.GROUPS

    # Someone adds a user to a community group by hand: the command puts things right.
    intruder = factories.RegisteredUserFactory()
    space(world.community).members_group.user_set.add(intruder)
    PageViewRestriction.objects.filter(page=world.group).delete()
    call_command("sync_community_access", verbosity=0)
    assert not group_names(intruder)
    assert PageViewRestriction.objects.filter(page=world.group).count() == 1
    assert (
        space(world.community)
        .members_group.user_set.filter(pk=world.users["participant"].pk)
        .exists()
    )


def test_translations_share_groups(world):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    world.tree.home.copy_for_translation(english)
    world.tree.communities.copy_for_translation(english)
    community_en = world.community.copy_for_translation(english)
    area_en = world.area.copy_for_translation(english)
    area_en.save_revision().publish()
    area_en.refresh_from_db()
    restriction = PageViewRestriction.objects.filter(page=area_en).first()
    assert restriction is not None
    assert set(restriction.groups.all()) == set(
        PageViewRestriction.objects.get(page=world.area).groups.all()
    )
    participant = fresh(world.users["participant"])
    assert access.can(participant, "view_reserved_area", community_en)
    assert access.can_view_page(participant, area_en)
    # Members, managers, and the managers' admin group (redazione), shared by the translations,
    # whose page permissions reach each translation.
    assert Group.objects.filter(name__contains="Cybersicurezza").count() == 3
    from wagtail.models import GroupPagePermission

    admin_group = Group.objects.get(name__contains="Cybersicurezza · redazione")
    granted = set(
        GroupPagePermission.objects.filter(group=admin_group).values_list("page_id", flat=True)
    )
    assert granted == {world.community.pk, community_en.pk}
