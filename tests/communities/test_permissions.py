"""Every cell of the permission matrix in docs/permissions.md, tested against the policy.

The matrix is read from the document itself, so the document and the code cannot disagree.
"""

from pathlib import Path

import pytest
from django.conf import settings

from academy.permissions import Action as AcademyAction
from cms import access
from communities import permissions as community_permissions
from communities import selectors as community_selectors
from discussions.permissions import Action
from events.permissions import Action as EventAction
from mailing.permissions import Action as MailingAction
from materials.permissions import Action as MaterialAction
from reports.permissions import Action as ReportsAction
from surveys.permissions import Action as SurveyAction

from .conftest import COLUMNS, MEASURE_COLUMNS, user_for

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "permissions.md"
MARKS = {"✓": True, "✗": False}


def _sections():
    """``{heading: its lines}`` of the document's ``##`` sections."""
    sections, current = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return sections


def read_matrix(section="Matrix", columns=COLUMNS):
    cells = []
    for line in _sections()[section]:
        parts = [part.strip() for part in line.strip().strip("|").split("|")]
        if len(parts) != 2 + len(columns) or not parts[0].startswith("`"):
            continue
        action, target, marks = parts[0].strip("`"), parts[1], parts[2:]
        for column, mark in zip(columns, marks, strict=True):
            cells.append((action, target, column, MARKS[mark]))
    return cells


MATRIX = read_matrix()
#: The same actions for the members under a measure of the managers (removed, suspended...).
MEASURES = read_matrix("Members under a measure", MEASURE_COLUMNS)


#: Discussion targets: content built for the cell (the column's user is the author of "own").
TOPIC_TARGETS = ("topic", "own topic", "own hidden topic")
REPLY_TARGETS = ("own reply", "own hidden reply")
CONTENT_TARGETS = TOPIC_TARGETS + REPLY_TARGETS


def _content_for(world, target, column):
    from django.utils import timezone

    from tests.discussions.factories import ReplyFactory, TopicFactory

    author = world.users[column] if target.startswith("own") else world.subject
    hidden = {"hidden_at": timezone.now()} if "hidden" in target else {}
    if target in TOPIC_TARGETS:
        return TopicFactory(space=world.community, author=author, **hidden)
    topic = TopicFactory(space=world.community, author=world.subject)
    reply = ReplyFactory(topic=topic, user=author, **hidden)
    if hidden:
        type(reply).objects.filter(pk=reply.pk).update(is_public=False)
        reply.is_public = False
    return reply


EVENT_TARGETS = ("public event", "members-only event")
SURVEY_TARGETS = ("portal survey", "community consultation")

#: The materials' targets, built for the cell: a draft of the working group, its first version,
#: a comment on it by another member (or by the column's user: "own"), the version submitted to
#: an open validation round, the round.
COMMENT_TARGETS = ("comment", "own comment")
VERSION_TARGETS = ("version", "submitted version")
ROUND_TARGETS = ("validation round",)
MATERIAL_TARGETS = COMMENT_TARGETS + VERSION_TARGETS + ROUND_TARGETS
#: The materials' actions on the working group itself (its workspace).
MATERIAL_GROUP_ACTIONS = {
    MaterialAction.VIEW_MATERIALS,
    MaterialAction.CONTRIBUTE_MATERIAL,
    MaterialAction.COMMENT_MATERIAL,
    MaterialAction.OPEN_VALIDATION,
}


def _material_for(world, target, column):
    import datetime

    from django.utils import timezone

    from materials.models import DocumentVersion, ValidationRound, VersionComment, WorkingDocument

    writer = world.users["wg_member"]
    document = WorkingDocument.objects.create(
        community=world.community,
        working_group=world.group,
        title="Linee guida per la gestione degli incidenti",
        kind=WorkingDocument.Kind.TEXT,
        created_by=writer,
    )
    version = DocumentVersion.objects.create(
        document=document, number=1, body="Prima stesura", author=writer
    )
    if target == "version":
        return version
    if target in COMMENT_TARGETS:
        if target == "own comment" and world.users[column] is not None:
            author = world.users[column]
        else:  # another member of the group
            author = writer if column != "wg_member" else world.users["wg_coordinator"]
        return VersionComment.objects.create(version=version, author=author, body="Da rivedere")
    round_ = ValidationRound.objects.create(
        document=document,
        version=version,
        opened_by=world.users["wg_coordinator"],
        deadline=timezone.now() + datetime.timedelta(days=7),
        eligible_count=4,
    )
    return version if target == "submitted version" else round_


#: The Accademia's targets, built for the cell: its catalogue page and a published public course
#: (under the site's home), the column's user's own learning record, another member's.
ACADEMY_TARGETS = ("academy", "course", "own learning record", "learning record")


def _academy_for(world, target, column):
    from tests.academy.factories import AcademyPageFactory, CoursePageFactory

    if target == "own learning record":
        return world.users[column]  # None for the anonymous column: nobody's record
    if target == "learning record":
        return world.subject
    academy = AcademyPageFactory(parent=world.tree.home)
    return academy if target == "academy" else CoursePageFactory(parent=academy)


def target_for(world, target, column=None):
    if target in ACADEMY_TARGETS:
        return _academy_for(world, target, column)
    if target in CONTENT_TARGETS:
        return _content_for(world, target, column)
    if target in MATERIAL_TARGETS:
        return _material_for(world, target, column)
    return {
        "community": world.community,
        "working group": world.group,
        "designation": world.designation,
        "public event": getattr(world, "public_event", None),
        "members-only event": getattr(world, "members_event", None),
        "portal survey": getattr(world, "portal_survey", None),
        "community consultation": getattr(world, "consultation", None),
        "portal": None,  # the whole portal: no object
    }[target]


@pytest.mark.parametrize(("matrix", "columns"), [(MATRIX, COLUMNS), (MEASURES, MEASURE_COLUMNS)])
def test_matrix_covers_every_action_and_column(matrix, columns):
    rows = {(action, target) for action, target, _c, _a in matrix}
    community_actions = {a for a, t in rows if t == "community"}
    group_actions = {a for a, t in rows if t == "working group"}
    designation_actions = {a for a, t in rows if t == "designation"}
    topic_actions = {a for a, t in rows if t in TOPIC_TARGETS}
    reply_actions = {a for a, t in rows if t in REPLY_TARGETS}
    portal_actions = {a for a, t in rows if t == "portal"}
    assert community_actions == set(Action.COMMUNITY) | set(ReportsAction.COMMUNITY) | {
        MailingAction.ANNOUNCE
    }
    assert portal_actions == set(ReportsAction.PORTAL)
    assert (
        group_actions
        == set(Action.WORKING_GROUP) | {MailingAction.ANNOUNCE} | MATERIAL_GROUP_ACTIONS
    )
    assert designation_actions == set(Action.DESIGNATION)
    if matrix is MATRIX:  # the measures concern memberships: no per-post targets there
        assert topic_actions == set(Action.TOPIC)
        assert reply_actions == set(Action.REPLY_OBJECT)
    for target in EVENT_TARGETS:
        assert {a for a, t in rows if t == target} == set(EventAction.EVENT)
    for target in SURVEY_TARGETS:
        assert {a for a, t in rows if t == target} == set(SurveyAction.SURVEY)
    for target in COMMENT_TARGETS:
        assert {a for a, t in rows if t == target} == {MaterialAction.RESOLVE_COMMENT}
    for target in VERSION_TARGETS:
        assert {a for a, t in rows if t == target} == {MaterialAction.VIEW_MATERIAL_VERSION}
    assert {a for a, t in rows if t == "validation round"} == {
        MaterialAction.ANSWER_VALIDATION,
        MaterialAction.FOLLOW_VALIDATION,
        MaterialAction.PUBLISH_MATERIAL,
    }
    # Every action of the materials has its rows.
    assert {a for a, _t in rows} >= set(MaterialAction.ALL)
    # The Accademia's actions, on its targets only.
    assert {a for a, t in rows if t in ACADEMY_TARGETS} == set(AcademyAction.ALL)
    assert {t for a, t in rows if a in AcademyAction.ALL} == set(ACADEMY_TARGETS)
    assert len(matrix) == len(rows) * len(columns)


@pytest.mark.parametrize(
    ("action", "target", "column", "allowed"),
    MATRIX + MEASURES,
    ids=[f"{a}-{t.replace(' ', '_')}-{c}" for a, t, c, _allowed in MATRIX + MEASURES],
)
def test_cell(shared_world, action, target, column, allowed):
    user = user_for(shared_world, column)
    assert access.can(user, action, target_for(shared_world, target, column)) is allowed


#: The materials' actions concern the group's workspace (its documents), not its pages.
PAGE_CELLS = [
    cell
    for cell in MATRIX + MEASURES
    if cell[1] in ("community", "working group") and cell[0] not in MATERIAL_GROUP_ACTIONS
]


@pytest.mark.parametrize(
    ("action", "target", "column", "allowed"),
    PAGE_CELLS,
    ids=[f"{a}-{t.replace(' ', '_')}-{c}" for a, t, c, _x in PAGE_CELLS],
)
def test_cell_holds_for_pages_inside(shared_world, action, target, column, allowed):
    """A page inside the reserved area (or the group's space) answers like its container."""
    page = shared_world.announcement if target == "community" else shared_world.group_page
    assert access.can(user_for(shared_world, column), action, page) is allowed


@pytest.mark.parametrize("column", COLUMNS + MEASURE_COLUMNS)
def test_policy_agrees_with_wagtail_restrictions(shared_world, column):
    """What the policy says about reading matches the page restrictions Wagtail enforces."""
    user = user_for(shared_world, column)
    assert access.can_view_page(user, shared_world.area) is access.can(
        user, Action.VIEW_RESERVED_AREA, shared_world.community
    )
    assert access.can_view_page(user, shared_world.group) is access.can(
        user, Action.VIEW_WORKING_GROUP, shared_world.group
    )
    assert access.can_view_page(user, shared_world.group_page) is access.can(
        user, Action.VIEW_WORKING_GROUP, shared_world.group
    )


def test_member_sees_own_designation_act(shared_world):
    subject = user_for(shared_world, "designated")
    own = subject.community_memberships.get().designation
    assert access.can(subject, Action.VIEW_DESIGNATION_ACT, own)
    assert not access.can(subject, Action.VERIFY_DESIGNATION, own)


def test_superuser_passes_everything_but_member_actions(shared_world):
    from .factories import StaffUserFactory

    admin = StaffUserFactory(is_superuser=True)
    for action in Action.COMMUNITY:
        expected = action not in community_permissions.SELF_ACTIONS
        assert access.can(admin, action, shared_world.community) is expected, action
    assert access.can(admin, Action.VIEW_WORKING_GROUP, shared_world.group)
    assert not access.can(admin, Action.JOIN_WORKING_GROUP, shared_world.group)
    assert access.can(admin, Action.VERIFY_DESIGNATION, shared_world.designation)


def test_unknown_action_is_an_error(shared_world):
    with pytest.raises(ValueError, match="Unknown action"):
        access.can(user_for(shared_world, "participant"), "fly", shared_world.community)


def test_roles_are_looked_up_once_per_user(shared_world, django_assert_num_queries):
    user = user_for(shared_world, "wg_member")
    access.can(user, Action.VIEW_RESERVED_AREA, shared_world.community)
    access.can(user, Action.VIEW_WORKING_GROUP, shared_world.group)
    with django_assert_num_queries(0):
        for action in Action.COMMUNITY:
            access.can(user, action, shared_world.community)
        for action in Action.WORKING_GROUP:
            access.can(user, action, shared_world.group)
        assert community_permissions.role_in(user, shared_world.community) == "designated"
        assert community_permissions.working_group_role(user, shared_world.group) == (
            "member",
            "active",
        )


def test_communities_and_working_groups_of(shared_world):
    user = user_for(shared_world, "wg_member")
    assert list(community_selectors.communities_of(user)) == [shared_world.community]
    assert list(community_selectors.working_groups_of(user)) == [shared_world.group]
    assert list(community_selectors.communities_of(user, roles={"coordinator"})) == []
    assert list(community_selectors.communities_of(user_for(shared_world, "registered"))) == []


def test_superuser_passes_the_materials_but_does_not_answer_a_round(shared_world):
    from .factories import StaffUserFactory

    admin = StaffUserFactory(is_superuser=True)
    for target in ("submitted version", "validation round", "comment"):
        obj = target_for(shared_world, target, "staff")
        for action in MaterialAction.ALL:
            expected = action != MaterialAction.ANSWER_VALIDATION
            assert access.can(admin, action, obj) is expected, (action, target)
