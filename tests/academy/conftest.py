from types import SimpleNamespace

import pytest

from tests.factories import StaffFactory, UserFactory

from .factories import AcademyPageFactory, CoursePageFactory, edition_for


@pytest.fixture
def academy(site_tree):
    page = AcademyPageFactory(parent=site_tree.home)
    course = CoursePageFactory(parent=page)
    edition = edition_for(course, capacity=1)
    return SimpleNamespace(
        tree=site_tree,
        page=page,
        course=course,
        edition=edition,
        member=UserFactory(),
        other=UserFactory(),
        staff=StaffFactory(),
    )
