from django.conf import settings
from wagtail.models import Site


def portal(request):
    """Site name and the root page of the current language, for navigation."""
    site = Site.find_for_request(request)
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "portal_site": site,
    }
