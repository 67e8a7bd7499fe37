"""The Mappa's answers to the core's and the questionnaire engine's hooks."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("survey_audience")
def campaign_audience(user, page):
    """A campaign's questionnaire is answered by its Ente's accredited compilers, on the
    variant their Ente compiles, and only through the Mappa's own pages (``None``: not a
    campaign's questionnaire): the engine's pages and API refuse it to everyone."""
    from cms import access

    from . import services
    from .permissions import is_compiler

    campaign = access.memo(
        user, f"mappa:campaign-of:{page.pk}", lambda: services.campaign_for_page(page)
    )
    if campaign is None:
        return None
    if not services.is_compiling():
        return False
    if user.ente_id is None or not is_compiler(user, campaign):
        return False
    variant, _changed = services.variant_for_compiling(campaign, user.ente)
    return campaign.survey_for(variant).pk == page.survey.pk


@hooks.register("survey_audience_ids")
def campaign_audience_ids(page):
    """Nobody is invited by the engine's mailings to a campaign's questionnaire (the campaign
    has its own communication)."""
    from . import services

    return set() if services.campaign_for_page(page) is not None else None


@hooks.register("register_admin_viewset")
def register_accreditation_viewset():
    """Staff decide the compilers' requests in the admin (``mappa.admin_views``)."""
    from .admin_views import accreditation_viewset

    return accreditation_viewset


@hooks.register("before_serve_page")
def campaign_questionnaire_redirect(page, request, serve_args, serve_kwargs):
    """A campaign's questionnaire page sends its visitors to the campaign's page (where the
    compilers compile for their Ente)."""
    from django.shortcuts import redirect

    from surveys.models import SurveyPage

    from . import services

    if page.specific_class is not SurveyPage:
        return None
    campaign = services.campaign_for_page(page.specific_deferred)
    if campaign is None:
        return None
    return redirect("mappa:campaign", slug=campaign.slug)


@hooks.register("portal_home_context")
def home_map(request, home_page, visible):
    """The home page's Mappa box links to the portal's own Mappa page when there is one (the
    editors' external link otherwise)."""
    from .models import MappaPage

    return {"map_page": visible(MappaPage).order_by("path").first()}
