import pytest

from tests.communities.conftest import build_world

from .factories import SurveyIndexPageFactory, SurveyPageFactory


@pytest.fixture
def world(site_tree):
    """A community with one user per role, the portal's "Sondaggi" with a survey, and a
    consultation in the community's reserved area."""
    w = build_world(site_tree)
    w.index = SurveyIndexPageFactory(parent=site_tree.home)
    w.survey = SurveyPageFactory(parent=w.index, title="Sondaggio sui servizi cloud")
    w.consultation = SurveyPageFactory(parent=w.area, title="Consultazione sugli obiettivi")
    return w
