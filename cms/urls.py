from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from .media import serve_media
from .views import ceiling, healthz, robots_txt

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", include("cms.api.urls")),
    # The community API (OpenAPI-documented; schema at /api/community/v1/schema/).
    path("api/community/v1/", include("communities.api.urls")),
    path("api/search/", include("search.api.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),  # answered by HealthCheckMiddleware first
    path("i18n/setlang/", set_language, name="set_language"),
    # django-comments' posting endpoint only, gated by the access policy (discussions/gate.py).
    path("commenti/", include("discussions.comments_urls")),
    # SPID and CIE: metadata, login, assertion consumer, single logout.
    path("", include("membership.saml.urls")),
]

# The load test's ceiling: a bare view with a fixed page (bench/loadtest/), only when asked.
if settings.LOADTEST_CEILING:
    urlpatterns += [path("_ceiling/", ceiling)]

# The demo identity provider exists only where dev/demo/test settings install it.
if apps.is_installed("demo_idp"):
    urlpatterns += [path("demo-idp/", include("demo_idp.urls"))]

# Media go through a view that refuses files of restricted collections (reserved areas) to
# anyone the collection does not accept (docs/decisions.md, "Communities (issue 4)").
urlpatterns += [
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media),
    path("cdp/", include("communities.urls")),
    path("cdp/", include("reports.urls")),  # participation figures (managers and staff)
    # The Accademia's machine documents (DID, status list, badge classes): language-independent.
    path("", include("academy.public_urls")),
]

# Italian (the default language) lives at /, English at /en/.
urlpatterns += i18n_patterns(
    path("", include("membership.urls")),
    path("cerca/", include("search.urls")),
    path("discussioni/", include("discussions.urls")),
    # Events: calendars, ICS feeds, registration, the organisers' pages; "I miei eventi".
    path("calendario/", include("events.urls")),
    path("", include("events.member_urls")),
    # Questionnaires: answering, drafts, results and exports; the member's list.
    path("questionari/", include("surveys.urls")),
    path("", include("surveys.member_urls")),
    # Materials: working groups' documents and versions, validation rounds; "Validazioni".
    path("materiali/", include("materials.urls")),
    path("", include("materials.member_urls")),
    path("mappa/", include("mappa.urls")),  # Mappa: campaigns, compiling, the Ente's report
    # Accademia: enrolment, badges' verification pages and verifier; La mia area > Accademia.
    path("accademia/", include("academy.urls")),
    path("", include("academy.member_urls")),
    # "La mia area" and the member's own community actions (join, leave, switch role...).
    path("", include("communities.member_urls")),
    # The mailing list: preferences, notices, one-click unsubscribe, private feed.
    path("", include("mailing.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
