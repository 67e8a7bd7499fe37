"""``load_demo``: a second run changes nothing, and the communities part of the demo gives every
demo IdP identity (but the newcomer) its registration and the role it stands for, through the
models that keep groups and restrictions in sync."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from academy.models import CourseEdition, CourseTarget, Enrolment, IssuedBadge
from cms import access
from communities import permissions as community_permissions
from communities.models import (
    CommunityAreaPage,
    CommunityPage,
    Designation,
    Membership,
    ReservedPage,
    ReservedSpace,
    WorkingGroupMembership,
    WorkingGroupPage,
)
from communities.permissions import Action
from demo.people import ADMIN_PASSWORD, ADMIN_USERNAME
from demo_idp import identities
from mappa.models import AreaScore, Campaign, DeadlineExtension, MappaPage, Submission
from materials import permissions as material_permissions
from materials.models import (
    AuthorCredit,
    DocumentVersion,
    Licence,
    MaterialPage,
    RoundAnswer,
    ValidationRound,
    VersionComment,
    WorkingDocument,
)
from membership import registration
from membership.forms import REGIONS
from membership.models import Consent, Ente, User
from membership.registration import current_versions, missing_consents
from surveys.models import Participation, Response, ResultCell, SurveyPage
from tests.academy.test_demo_content import check_academy

pytestmark = pytest.mark.django_db

COUNTED = [
    Page,
    User,
    Ente,
    Consent,
    Membership,
    Designation,
    WorkingGroupMembership,
    PageViewRestriction,
    CollectionViewRestriction,
    Collection,
    ReservedSpace,
    SurveyPage,
    Response,
    Participation,
    ResultCell,
    Licence,
    WorkingDocument,
    DocumentVersion,
    VersionComment,
    AuthorCredit,
    ValidationRound,
    RoundAnswer,
    Campaign,
    DeadlineExtension,
    Submission,
    AreaScore,
    CourseTarget,
    CourseEdition,
    Enrolment,
    IssuedBadge,
]


def counts():
    documents = get_document_model().objects.count()
    return {model.__name__: model.objects.count() for model in COUNTED} | {"docs": documents}


def user_of(key):
    return User.objects.get(fiscal_number=identities.get(key).fiscal_code)


def cyber():
    return CommunityPage.objects.get(slug="cybersicurezza", locale__language_code="it")


def test_demo_people_communities_and_a_second_run_that_changes_nothing(db):
    # As after ``load_enti``: a registry Ente is used, not duplicated.
    registry_ente = Ente.objects.create(
        kind=Ente.Kind.COMUNE,
        name="Valverde",
        istat_code="087052",
        region="Sicilia",
        province="Catania",
        province_code="CT",
    )
    # Comuni of the registry without members: the Mappa's synthetic responses are theirs.
    Ente.objects.bulk_create(
        Ente(
            kind=Ente.Kind.COMUNE,
            name=f"Comune registro {n}",
            istat_code=f"98{n:04d}",
            region=REGIONS[n % len(REGIONS)],
            population=400 + n * 997,
        )
        for n in range(120)
    )
    call_command("load_demo", verbosity=0)
    assert user_of("iscritto").ente == registry_ente
    assert Ente.objects.filter(name="Valverde").count() == 1
    # Missing from the registry: created with its ISTAT code, as load_enti stores it, so that
    # loading the registry later updates it instead of adding a duplicate.
    monteverde = Ente.objects.get(istat_code="064060")
    assert (monteverde.name, monteverde.province_code) == ("Monteverde", "AV")
    assert user_of("partecipante").ente == monteverde

    check_identities_registered()
    check_roles()
    check_reserved_content()
    check_surveys()
    check_materials()
    check_mappa()
    check_academy()

    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before
    # Test (like dev) settings create the README's demo account.
    assert User.objects.get(username=ADMIN_USERNAME).check_password(ADMIN_PASSWORD)


def test_production_settings_never_create_the_demo_admin(db, settings):
    """Under production settings (DEMO_ADMIN_ACCOUNT off) the content is loaded but the `admin`
    account with the README's public password is not, and the command says so; an `admin` that
    has that password anyway is reported as an error."""
    settings.DEMO_ADMIN_ACCOUNT = False
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", verbosity=0, stdout=out, stderr=err)
    assert CommunityPage.objects.filter(slug="cybersicurezza").exists()
    assert not User.objects.filter(username=ADMIN_USERNAME).exists()
    assert not User.objects.filter(is_superuser=True).exists()
    assert "non creato" in out.getvalue() and "createsuperuser" in out.getvalue()
    assert ADMIN_PASSWORD not in out.getvalue()
    assert err.getvalue() == ""

    User.objects.create_superuser(ADMIN_USERNAME, "a@example.org", ADMIN_PASSWORD)
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo", verbosity=0, stdout=out, stderr=err)
    assert "password pubblica" in err.getvalue()


def check_identities_registered():
    newcomer = identities.get("nuovo")
    assert not User.objects.filter(fiscal_number=newcomer.fiscal_code).exists()
    for identity in identities.IDENTITIES:
        if identity.key == "nuovo":
            continue
        user = user_of(identity.key)
        assert user.username == identity.fiscal_code
        assert (user.first_name, user.last_name, user.email) == (
            identity.name,
            identity.family_name,
            identity.email,
        )
        assert user.onboarded_at is not None and user.ente is not None, identity.key
        assert not missing_consents(user, current_versions()), identity.key
        assert registration.is_registered(user), identity.key


def check_roles():
    community = cyber()
    area = CommunityAreaPage.objects.child_of(community).get()
    group = WorkingGroupPage.objects.child_of(area).get(slug="piano-di-risposta-agli-incidenti")

    expected = {
        "iscritto": None,
        "partecipante": Membership.Role.PARTICIPANT,
        "designato": Membership.Role.DESIGNATED,
        "membro-gdl": Membership.Role.DESIGNATED,
        "coordinatore-gdl": Membership.Role.DESIGNATED,
        "coordinatore": Membership.Role.COORDINATOR,
        "supporto": Membership.Role.SUPPORT,
    }
    for key, role in expected.items():
        assert community_permissions.role_in(user_of(key), community) == role, key

    designation = Membership.objects.get(user=user_of("designato"), community=community)
    assert designation.designation.status == Designation.Status.VERIFIED
    support = Membership.objects.get(user=user_of("supporto"), community=community)
    assert support.support_kind == Membership.SupportKind.ANCI_DTD

    assert community_permissions.working_group_role(user_of("membro-gdl"), group) == (
        "member",
        "active",
    )
    assert community_permissions.working_group_role(user_of("coordinatore-gdl"), group) == (
        "coordinator",
        "active",
    )
    # Groups and restrictions follow the memberships.
    assert access.can(user_of("partecipante"), Action.VIEW_RESERVED_AREA, community)
    assert not access.can(user_of("partecipante"), Action.VIEW_WORKING_GROUP, group)
    assert not access.can(user_of("iscritto"), Action.VIEW_RESERVED_AREA, community)
    for key in ("membro-gdl", "coordinatore-gdl", "coordinatore", "supporto"):
        assert access.can(user_of(key), Action.VIEW_WORKING_GROUP, group), key
    assert access.can_view_page(user_of("partecipante"), area)
    assert not access.can_view_page(user_of("partecipante"), group)
    assert not access.can_view_page(user_of("iscritto"), area)


def check_reserved_content():
    community = cyber()
    area = CommunityAreaPage.objects.child_of(community).get()
    kinds = set(ReservedPage.objects.child_of(area).live().values_list("kind", flat=True))
    assert kinds == {"announcement", "material", "event"}
    assert area.view_restrictions.filter(restriction_type=PageViewRestriction.GROUPS).exists()

    space = ReservedSpace.objects.get(
        kind=ReservedSpace.Kind.COMMUNITY, translation_key=community.translation_key
    )
    document = get_document_model().objects.get(collection=space.collection)
    assert document.file.read(4) == b"%PDF"
    assert access.visible_documents(user_of("partecipante")).filter(pk=document.pk).exists()
    assert not access.visible_documents(user_of("iscritto")).filter(pk=document.pk).exists()

    # The second community has its reserved area too, and the directory is not empty.
    other = CommunityPage.objects.get(
        slug="servizi-digitali-e-interoperabilita", locale__language_code="it"
    )
    assert CommunityAreaPage.objects.child_of(other).live().exists()
    assert Membership.objects.filter(community=other, role=Membership.Role.COORDINATOR).exists()
    assert Membership.objects.filter(community=community, left_at=None).count() >= 10


def check_surveys():
    """One portal survey open with a few responses; the community's consultation closed, with
    more than 5 respondents (the results' threshold) and its results counted."""
    from surveys import permissions

    portal = SurveyPage.objects.get(
        slug="temi-nuove-comunita-di-pratica", locale__language_code="it"
    )
    assert portal.is_open and Response.objects.filter(survey=portal).count() >= 2
    consultation = SurveyPage.objects.get(slug="consultazione-obiettivi-del-prossimo-anno")
    assert consultation.is_closed
    assert consultation.get_parent().specific.get_parent().specific == cyber()
    respondents = Response.objects.filter(survey=consultation).count()
    assert respondents >= 5
    total = ResultCell.objects.filter(survey=consultation, question="", row="", option="")
    assert sum(cell.count for cell in total) == respondents
    # Its respondents see the results; a registered member outside the community does not.
    assert permissions.may_view_results(user_of("designato"), consultation)
    assert not permissions.may_view_results(user_of("iscritto"), consultation)


def check_materials():
    """The licences; a working group's output approved by the participants and published in
    Risorse (public file, announcement, news draft); another document's round in progress."""
    from cms.models import NewsPage, ResourcesPage
    from mailing.models import AnnouncementPage

    assert set(Licence.objects.values_list("code", flat=True)) == {
        "cc-by-4.0",
        "cc-by-sa-4.0",
        "cc0-1.0",
    }
    assert Licence.default().code == "cc-by-4.0"
    assert all(
        licence.url.startswith("https://creativecommons.org/") for licence in Licence.objects.all()
    )

    published = WorkingDocument.objects.get(
        title="Linee guida per la gestione degli incidenti informatici nei Comuni"
    )
    assert published.working_group.slug == "piano-di-risposta-agli-incidenti"
    assert published.community == cyber()
    v1, v2 = published.versions.order_by("number")
    assert v1.file.read(4) == b"%PDF" and v2.media_type == "application/pdf"
    assert v1.sha256 != v2.sha256 and v1.created_at < v2.created_at
    threads = VersionComment.objects.filter(version__document=published, parent=None)
    assert threads.count() >= 2
    assert threads.filter(resolved_at__isnull=False).exists()
    assert VersionComment.objects.filter(version=v1, parent__isnull=False).exists()

    closed = ValidationRound.objects.get(document=published)
    assert closed.version == v2 and closed.status == ValidationRound.Status.APPROVED
    today = timezone.localdate()
    assert closed.deadline < timezone.now() and closed.closed_at == closed.deadline
    assert closed.outcome["approved"] and not closed.outcome["early"]
    assert closed.published_at.date() < today
    verdicts = list(closed.answers.values_list("verdict", flat=True))
    assert set(verdicts) == set(RoundAnswer.Verdict.values) and len(verdicts) >= 5
    assert closed.answers.get(verdict=RoundAnswer.Verdict.CHANGES).comment
    assert all(
        closed.opened_at < answer.created_at < closed.deadline for answer in closed.answers.all()
    )

    page = MaterialPage.objects.get(pk=closed.page_id)
    assert page.live and isinstance(page.get_parent().specific, ResourcesPage)
    assert page.source_version == v2 and page.version_label == "v2"
    assert page.publication_date < today and page.first_published_at.date() < today
    assert page.licence.code == "cc-by-4.0"
    assert page.document.file.read(4) == b"%PDF"
    assert page.document.collection.name == "Materiali delle comunità"
    assert not page.view_restrictions.exists()
    for key in ("membro-gdl", "coordinatore-gdl"):
        assert user_of(key).get_full_name() in page.authors
    assert user_of("designato").get_full_name() not in page.authors  # not credited
    area = CommunityAreaPage.objects.child_of(cyber()).get()
    announcement = AnnouncementPage.objects.child_of(area).live().get()
    assert page.title in announcement.title
    news = NewsPage.objects.get(title__contains=page.title)
    assert not news.live

    in_progress = WorkingDocument.objects.get(title="Checklist di autovalutazione della sicurezza")
    assert in_progress.kind == WorkingDocument.Kind.TEXT
    assert in_progress.working_group.slug == "misure-minime-piccoli-comuni"
    assert in_progress.versions.count() == 2 and "## Backup" in in_progress.latest_version.body
    open_round = ValidationRound.objects.get(document=in_progress)
    assert open_round.version == in_progress.latest_version and open_round.accepts_answers
    assert open_round.deadline > timezone.now() + timedelta(days=8)
    assert open_round.answers.count() == 3
    assert open_round.mailings.filter(kind="invitation").exists()  # not sent again
    assert not MaterialPage.objects.get(pk=open_round.page_id).live
    # The participant of the demo has not answered yet: they can try.
    participant = user_of("partecipante")
    assert not open_round.answers.filter(user=participant).exists()
    answer = material_permissions.Action.ANSWER_VALIDATION
    assert access.can(participant, answer, open_round)
    assert not access.can(user_of("iscritto"), answer, open_round)


def check_mappa():
    """The Mappa page with its two campaigns (the Mappa's deadline extended once, open), and
    synthetic demo responses of registry Comuni, never of a demo member's Ente."""
    page = MappaPage.objects.get(slug="mappa-dei-comuni-digitali", locale__language_code="it")
    assert page.live and page.get_parent().specific_class.__name__ == "HomePage"
    mappa = Campaign.objects.get(kind=Campaign.Kind.MAPPA)
    assert mappa.rules == "mappa" and mappa.is_open
    assert {mappa.full_survey.get_parent().pk, mappa.simplified_survey.get_parent().pk} == {page.pk}
    assert mappa.full_survey.respondent == SurveyPage.Respondent.ENTE
    extension = DeadlineExtension.objects.get(campaign=mappa)
    assert extension.new == mappa.closes_at > extension.previous and extension.reason
    competence = Campaign.objects.get(kind=Campaign.Kind.COMPETENCE)
    assert competence.simplified_survey is None and competence.is_open
    for campaign in (mappa, competence):
        submissions = Submission.objects.filter(campaign=campaign)
        assert submissions.count() >= 10 and not submissions.filter(is_demo=False).exists()
        assert not submissions.filter(ente__in=User.objects.values("ente")).exists()
    assert AreaScore.objects.filter(campaign=mappa).count() == 6 * mappa.submissions.count()
    # A demo member's small Comune still compiles the simplified version.
    assert mappa.variant_for(user_of("partecipante").ente) == Campaign.Variant.SIMPLIFIED
