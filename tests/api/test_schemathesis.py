"""Fuzzing the community API against its own OpenAPI schema (schemathesis), on a live server.

The schema is loaded from the running server (``/api/community/v1/schema/``) and every operation
in it is called with generated requests, valid and invalid ones (schemathesis' examples, coverage
and fuzzing phases; ``mode = all``), as three clients:

- an anonymous client (with made-up tokens and session cookies from the schema's security
  schemes), refused everywhere but on the public operations (``PUBLIC_OPERATIONS``);
- a registered member with the portal session and its CSRF token: a designated participant of the
  community and member of its working group, with a pending invitation to another group;
- the community's coordinator with an API token (``Authorization: Token <key>``).

Path ids are drawn both from what the generator makes up and from the objects that exist (the
communities, working groups, topics, replies, invitations, the Accademia's courses, editions and
badge), so that the requests reach the handlers and not only their 404s. Every response must
pass the five checks below: no 5xx, a documented status code, a documented content type, a body
matching the documented schema and the documented headers.

The run is deterministic (a fixed seed, derandomized Hypothesis, no example database) and bounded:
``API_FUZZ_EXAMPLES`` examples per operation and phase (default below). Transactional, as the live
server needs committed data; the migrated data is restored afterwards (``serialized_rollback``).
"""

import os
import re
from collections import Counter

import pytest
import requests
import schemathesis
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from communities.models import WorkingGroupMembership
from tests.communities import factories
from tests.communities.conftest import build_world
from tests.conftest import build_site
from tests.discussions.conftest import build_discussions

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "30"))
SEED = 20260612
SCHEMA_PATH = "/api/community/v1/schema/?format=json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def fuzz_config(*, security_parameters):
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # Made-up credentials for the anonymous client only: the others send real ones.
                "with-security-parameters": security_parameters,
            },
            "phases": {"stateful": {"enabled": False}},
        }
    )


class ServerThread(LiveServerThread):
    """Django's live server, answering one request at a time (as the fuzzer sends them) on one
    persistent database connection, as gunicorn's workers do: pytest-django's ``live_server``
    opens a thread and a PostgreSQL connection per request, three times slower here."""

    def run(self):
        connection = connections["default"]  # this thread's own
        connection.settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": None}
        super().run()

    def _create_server(self, connections_override=None):
        return WSGIServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )


@pytest.fixture
def api_server():
    # An in-memory SQLite test database (DATABASE_URL unset) exists only on this connection.
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = ServerThread("127.0.0.1", lambda handler: handler, connections_override=shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    thread.url = f"http://127.0.0.1:{thread.port}"
    yield thread
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


@pytest.fixture
def api(api_server, settings):
    """The communities world with discussions, and a pending invitation for the member."""
    settings.DISCUSSIONS_RATE_LIMITS = {}  # 429 has its own tests; here it would hide the rest
    world = build_discussions(build_world(build_site()))
    world.second_group = factories.WorkingGroupPageFactory(
        parent=world.area, title="Formazione del personale"
    )
    world.invitation = factories.WorkingGroupMembershipFactory(
        user=world.users["wg_member"],
        group=world.second_group,
        status=WorkingGroupMembership.Status.INVITED,
        invited_by=world.users["coordinator"],
    )
    # Questionnaires: a portal survey and a consultation in the community's reserved area.
    from tests.surveys.factories import SurveyIndexPageFactory, SurveyPageFactory

    index = SurveyIndexPageFactory(parent=world.tree.home)
    world.survey = SurveyPageFactory(parent=index, title="Sondaggio sul cloud")
    world.consultation = SurveyPageFactory(parent=world.area, title="Consultazione")
    # Materials: a draft of the working group with a comment, submitted to an open round.
    import datetime

    from django.utils import timezone

    from materials import services as materials

    writer = world.users["wg_member"]
    world.document = materials.create_document(
        writer, world.group, title="Linee guida", kind="text", body="Prima stesura"
    )
    world.version = world.document.latest_version
    world.comment = materials.add_comment(writer, world.version, "Da rivedere")
    world.round = materials.open_round(
        world.users["coordinator"],
        world.version,
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    build_mappa(world, SurveyPageFactory)
    build_academy(world)
    return world


def build_academy(world):
    """The Accademia: a course with an open edition (to enrol in and withdraw from) and another
    the member completed, with their Open Badge."""
    from django.utils import timezone

    from academy import services as academy
    from academy.models import Enrolment
    from tests.academy.factories import AcademyPageFactory, CoursePageFactory, edition_for
    from tests.factories import StaffFactory

    page = AcademyPageFactory(parent=world.tree.home)
    world.course = CoursePageFactory(parent=page, title="Sicurezza di base")
    world.edition = edition_for(world.course, capacity=1)
    done = CoursePageFactory(parent=page, title="PDND per i Comuni")
    enrolment = academy.enrol(world.users["wg_member"], edition_for(done))
    world.badge = academy.complete(
        StaffFactory(), enrolment, timezone.localdate(), source=Enrolment.Source.STAFF
    )


def build_mappa(world, SurveyPageFactory):
    """A Mappa campaign: the member is its Ente's referent, with a colleague's request pending."""
    from django.utils import timezone

    from mappa.models import Accreditation, Campaign
    from surveys.models import SurveyPage
    from tests.mappa.conftest import MappaPageFactory, mappa_questions

    page = MappaPageFactory(parent=world.tree.home)
    full, simplified = (
        SurveyPageFactory(
            parent=page,
            title=title,
            questions=mappa_questions(simplified=short),
            respondent=SurveyPage.Respondent.ENTE,
        )
        for title, short in (("Mappa 2026", False), ("Mappa 2026 semplificata", True))
    )
    world.campaign = Campaign.objects.create(
        title="Mappa 2026",
        slug="mappa-2026",
        kind=Campaign.Kind.MAPPA,
        full_survey=full,
        simplified_survey=simplified,
    )
    member = world.users["wg_member"]
    declared = {"authorised_by": "mayor", "authorisation_date": timezone.localdate()}
    world.accreditation = Accreditation.objects.create(
        campaign=world.campaign,
        ente_id=member.ente_id,
        user=member,
        status=Accreditation.Status.APPROVED,
        is_referent=True,
        declaration=True,
        **declared,
    )
    world.accreditation_request = Accreditation.objects.create(
        campaign=world.campaign,
        ente_id=member.ente_id,
        user=factories.RegisteredUserFactory(ente=member.ente),
        declaration=True,
        **declared,
    )


# Which existing objects a path's id may name, by a part of the path (the first that matches).
def existing_ids(world):
    return {
        # Leaving or switching role only in the community the fuzzed users may join and leave at
        # will: in theirs, the rest of the run would see them as strangers.
        "/communities/{id}/leave/": [world.other.pk],
        "/communities/{id}/switch-role/": [world.other.pk],
        "/communities/{id}/": [world.community.pk, world.other.pk],
        "/working-groups/{id}/": [world.group.pk, world.second_group.pk],
        "/discussions/spaces/{space_id}/": [world.community.pk, world.group.pk, world.other.pk],
        "/discussions/topics/{id}/": [world.topic.pk, world.group_topic.pk, world.other_topic.pk],
        "/discussions/replies/{id}/": [world.reply.pk, world.group_reply.pk],
        "/me/invitations/{id}/": [world.invitation.pk],
        "/surveys/{id}/": [world.survey.pk, world.consultation.pk],
        "/documents/{id}/": [world.document.pk],
        "/versions/{id}/": [world.version.pk],
        "/comments/{id}/": [world.comment.pk],
        "/rounds/{id}/": [world.round.pk],
        "/mappa/campaigns/{slug}/": [world.campaign.slug],
        "/mappa/accreditations/{id}/": [world.accreditation_request.pk, world.accreditation.pk],
        "/academy/courses/{id}/": [world.course.pk, world.badge.course_id],
        "/academy/editions/{id}/": [world.edition.pk, world.badge.enrolment.edition_id],
        "/academy/badges/{uuid}/": [str(world.badge.uuid)],
    }


#: The operations anyone may call, signed in or not (their labels, as schemathesis names them).
PUBLIC_OPERATIONS = {
    "GET /api/community/v1/academy/courses/",
    "GET /api/community/v1/academy/courses/{id}/",
    "GET /api/community/v1/academy/badges/{uuid}/",
    "POST /api/community/v1/academy/badges/verify/",
}


def often(usual, other):
    """``usual`` four times in five, ``other`` otherwise."""
    return st.one_of(usual, usual, usual, usual, other)


def load_schema(api_server, world, request, *, security_parameters=False):
    # schemathesis 4.32.5's lazy loader reads and writes ``Node._nodeid``, which pytest 9.2 no
    # longer has; give the test item the attribute (only its report labels use it).
    request.node._nodeid = request.node.nodeid
    schema = schemathesis.openapi.from_url(
        api_server.url + SCHEMA_PATH,
        config=fuzz_config(security_parameters=security_parameters),
    )
    ids = existing_ids(world)
    users = [user.pk for user in world.users.values() if user is not None]
    replies = [world.reply.pk, world.group_reply.pk]

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        if context.operation.path.count("{") > 1:
            return strategy  # several parameters (a territory's kind and code): as generated
        for prefix, values in ids.items():
            if prefix in context.operation.path:
                name = re.search(r"\{(\w+)\}", prefix)[1]
                return often(st.fixed_dictionaries({name: st.sampled_from(values)}), strategy)
        return strategy

    @schema.hook
    def before_generate_body(context, strategy):
        path = context.operation.path
        field, values = ("user", users) if path.endswith("/invitations/") else ("parent", replies)
        if not path.endswith(("/invitations/", "/replies/")):
            return strategy
        return often(
            st.tuples(strategy, st.sampled_from(values)).map(
                lambda pair: {**pair[0], field: pair[1]} if isinstance(pair[0], dict) else pair[0]
            ),
            strategy,
        )

    return schema


@pytest.fixture
def anonymous_schema(api, api_server, request):
    return load_schema(api_server, api, request, security_parameters=True)


@pytest.fixture
def member_schema(api, api_server, request):
    return load_schema(api_server, api, request)


@pytest.fixture
def coordinator_schema(api, api_server, request):
    return load_schema(api_server, api, request)


@pytest.fixture
def member_session(api):
    """The member's portal session, as a browser has it: session cookie, CSRF cookie and header."""
    client = Client()
    client.force_login(api.users["wg_member"])
    http = requests.Session()
    csrf = _get_new_csrf_string()
    http.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    http.cookies.set(settings.CSRF_COOKIE_NAME, csrf)
    http.headers["X-CSRFToken"] = csrf
    return http


@pytest.fixture
def coordinator_token(api):
    return Token.objects.create(user=api.users["coordinator"]).key


anonymous = schemathesis.pytest.from_fixture("anonymous_schema")
member = schemathesis.pytest.from_fixture("member_schema")
coordinator = schemathesis.pytest.from_fixture("coordinator_schema")


@pytest.fixture
def answers(request):
    """The status codes answered, by operation; at the end, what the client could reach."""
    seen = Counter()
    yield seen
    statuses = Counter()
    for (_operation, status), count in seen.items():
        statuses[status] += count
    print(f"\n{request.node.name}: {seen.total()} requests, {sorted(statuses.items())}")
    if os.environ.get("API_FUZZ_VERBOSE"):
        for operation in sorted({operation for operation, _status in seen}):
            print("  ", operation, sorted((s, n) for (o, s), n in seen.items() if o == operation))
    if request.node.name == "test_api_as_anonymous":
        # Nothing but "sign in" (and "no such path"), whatever was sent, except the public
        # endpoints (the Accademia's catalogue, a badge and its verification).
        private = Counter()
        for (operation, status), count in seen.items():
            if operation not in PUBLIC_OPERATIONS:
                private[status] += count
        assert set(private) <= {401, 404}, private
    else:
        # Signed in, the requests reached the handlers: lists, objects and writes.
        assert statuses[200] and statuses[201] and statuses[400], statuses
        assert 401 not in statuses, statuses


@anonymous.parametrize()
def test_api_as_anonymous(case, answers):
    response = case.call_and_validate(checks=CHECKS)
    answers[case.operation.label, response.status_code] += 1


@member.parametrize()
def test_api_as_member_with_session(case, member_session, answers):
    response = case.call_and_validate(session=member_session, checks=CHECKS)
    answers[case.operation.label, response.status_code] += 1


@coordinator.parametrize()
def test_api_as_coordinator_with_token(case, coordinator_token, answers):
    headers = {"Authorization": f"Token {coordinator_token}"}
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    answers[case.operation.label, response.status_code] += 1
