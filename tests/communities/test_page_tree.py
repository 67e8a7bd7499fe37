"""Where the community page types may live (Wagtail's assertCanCreateAt, pytest style)."""

import pytest

from cms.models import HomePage, NewsIndexPage, StandardPage
from communities.models import (
    CommunityAreaPage,
    CommunityIndexPage,
    CommunityPage,
    ReservedPage,
    WorkingGroupPage,
)
from events.models import EventPage
from mailing.models import AnnouncementPage
from surveys.models import SurveyPage

EXPECTED_CHILDREN = {
    CommunityIndexPage: {CommunityPage},
    CommunityPage: {CommunityAreaPage, EventPage},
    CommunityAreaPage: {ReservedPage, WorkingGroupPage, EventPage, AnnouncementPage, SurveyPage},
    WorkingGroupPage: {ReservedPage, EventPage, AnnouncementPage, SurveyPage},
    ReservedPage: set(),
    AnnouncementPage: set(),
}

CAN_CREATE_AT = [
    (CommunityAreaPage, CommunityPage, True),
    (CommunityAreaPage, HomePage, False),
    (CommunityAreaPage, CommunityIndexPage, False),
    (ReservedPage, CommunityAreaPage, True),
    (ReservedPage, WorkingGroupPage, True),
    (ReservedPage, CommunityPage, False),
    (ReservedPage, NewsIndexPage, False),
    (WorkingGroupPage, CommunityAreaPage, True),
    (WorkingGroupPage, CommunityPage, False),
    (WorkingGroupPage, WorkingGroupPage, False),
    (StandardPage, CommunityAreaPage, False),
    (EventPage, CommunityPage, True),
    (EventPage, CommunityAreaPage, True),
    (EventPage, WorkingGroupPage, True),
    (EventPage, ReservedPage, False),
    (AnnouncementPage, CommunityAreaPage, True),
    (AnnouncementPage, WorkingGroupPage, True),
    (AnnouncementPage, CommunityPage, False),
]


@pytest.mark.parametrize("model", list(EXPECTED_CHILDREN), ids=lambda m: m.__name__)
def test_subpage_types(model):
    assert set(model.allowed_subpage_models()) == EXPECTED_CHILDREN[model]


@pytest.mark.parametrize("model", list(EXPECTED_CHILDREN), ids=lambda m: m.__name__)
def test_search_and_api_fields(model):
    assert model.search_fields and model.api_fields


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    CAN_CREATE_AT,
    ids=[f"{c.__name__}-under-{p.__name__}" for c, p, _a in CAN_CREATE_AT],
)
def test_allowed_parent_types(child, parent, allowed):
    assert (parent in child.allowed_parent_page_models()) is allowed


@pytest.mark.django_db
def test_can_create_at(world):
    # One reserved area per community.
    assert not CommunityAreaPage.can_create_at(world.community)
    new = world.tree.communities.add_child(
        instance=CommunityPage(title="Nuova", slug="nuova", theme="Tema", mission="<p>M</p>")
    )
    assert CommunityAreaPage.can_create_at(new)
    assert ReservedPage.can_create_at(world.area)
    assert ReservedPage.can_create_at(world.group)
    assert WorkingGroupPage.can_create_at(world.area)
    assert not WorkingGroupPage.can_create_at(world.group)
    assert not ReservedPage.can_create_at(world.community)


@pytest.mark.django_db
def test_working_group_dates_are_checked(world):
    from django.core.exceptions import ValidationError

    world.group.end_date = world.group.start_date.replace(year=world.group.start_date.year - 1)
    with pytest.raises(ValidationError):
        world.group.full_clean()
