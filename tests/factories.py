"""Factories for the portal's pages, users and media. Tests build data here, never from JSON."""

import datetime
import io

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from cms.models import HomePage, NewsIndexPage, NewsPage, ResourcesPage, StandardPage
from communities.models import CommunityIndexPage, CommunityPage
from faq.models import FAQIndexPage
from kits.models import KitDocument, KitIndexPage, KitPage
from membership.models import Consent, Ente
from webinars.models import WebinarIndexPage, WebinarPage


class EnteFactory(factory.django.DjangoModelFactory):
    """An approved Comune of the registry."""

    class Meta:
        model = Ente
        django_get_or_create = ("istat_code",)

    kind = Ente.Kind.COMUNE
    name = factory.Sequence(lambda n: f"Comune di Prova {n}")
    istat_code = factory.Sequence(lambda n: f"9{n:05d}")
    region = "Lazio"
    province = "Roma"
    province_code = "RM"
    status = Ente.Status.APPROVED


class UserFactory(factory.django.DjangoModelFactory):
    """A member who signed in with SPID/CIE and completed the registration: fiscal number,
    authority, profile and the acceptances of the current rules and privacy versions.

    ``UserFactory(onboarded=False)`` is a member at their first access (nothing completed);
    ``StaffFactory`` is an editor's Django account without a fiscal number.
    """

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    class Params:
        onboarded = True

    username = factory.Sequence(lambda n: f"utente{n}")
    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Rossi{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@comune.example.it")
    password = factory.django.Password("Password-di-prova-1")
    fiscal_number = factory.Sequence(lambda n: f"RSSMRA80A01{n % 10000:04d}U")
    last_login_method = "spid"
    ente = factory.Maybe("onboarded", factory.SubFactory(EnteFactory), None)
    office = factory.Maybe("onboarded", "Servizi informatici", "")
    position = factory.Maybe("onboarded", "employee", "")
    contact_email = factory.Maybe("onboarded", factory.LazyAttribute(lambda o: o.email), "")
    phone = factory.Maybe("onboarded", "+39 06 1234567", "")
    onboarded_at = factory.Maybe("onboarded", factory.LazyFunction(timezone.now), None)

    @factory.post_generation
    def consents(obj, create, extracted, **kwargs):
        """Acceptances of the current versions (``consents=False`` for none)."""
        if not create or extracted is False or obj.onboarded_at is None:
            return
        from membership.registration import current_versions, record_consents

        record_consents(obj, [Consent.Kind.RULES, Consent.Kind.PRIVACY], current_versions())


class StaffFactory(UserFactory):
    """An editor: a Django account (username and password), no fiscal number, never gated."""

    class Params:
        onboarded = False

    username = factory.Sequence(lambda n: f"redattore{n}")
    fiscal_number = None
    last_login_method = "password"
    is_staff = True


def png_bytes(color=(0, 102, 204), size=(64, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Immagine {n}")
    description = "Un'immagine di prova"
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="prova.png"))


class DocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Documento {n}")
    file = factory.LazyFunction(
        lambda: ContentFile(b"%PDF-1.4\n% documento di prova\n", name="documento.pdf")
    )


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Community dei Comuni Digitali"
    slug = "home"
    hero_title = "La community dei Comuni digitali"
    hero_text = "Materiali, webinar e comunità di pratica per la trasformazione digitale."


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Notizie"
    slug = "notizie"
    show_in_menus = True


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Notizia numero {n}")
    slug = factory.Sequence(lambda n: f"notizia-{n}")
    summary = "Una notizia per i Comuni."
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    first_published_at = factory.LazyFunction(timezone.now)


class CommunityIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CommunityIndexPage

    title = "Comunità di pratica"
    slug = "comunita"
    show_in_menus = True


class CommunityPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CommunityPage

    title = factory.Sequence(lambda n: f"Comunità {n}")
    slug = factory.Sequence(lambda n: f"comunita-{n}")
    theme = "Sicurezza informatica negli enti locali"
    mission = "<p>Condividere pratiche e strumenti.</p>"


class KitIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = KitIndexPage

    title = "Kit documentali"
    slug = "kit"
    show_in_menus = True


class KitPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = KitPage

    title = factory.Sequence(lambda n: f"Kit numero {n}")
    slug = factory.Sequence(lambda n: f"kit-{n}")
    summary = "Un kit per gli uffici comunali."
    description = "<p>Modelli e linee guida pronti all'uso.</p>"
    target_audience = "Responsabili per la transizione digitale"
    thematic_area = "cybersecurity"
    first_published_at = factory.LazyFunction(timezone.now)


class KitDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KitDocument

    document = factory.SubFactory(DocumentFactory)
    description = "Modello"


class WebinarIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = WebinarIndexPage

    title = "Webinar"
    slug = "webinar"
    show_in_menus = True


class WebinarPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = WebinarPage

    title = factory.Sequence(lambda n: f"Webinar numero {n}")
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    summary = "Un incontro online."
    description = "<p>Un incontro online per i Comuni.</p>"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=1, minutes=30))
    first_published_at = factory.LazyFunction(timezone.now)


class FAQIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FAQIndexPage

    title = "Domande frequenti"
    slug = "faq"
    show_in_menus = True


class ResourcesPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourcesPage

    title = "Risorse"
    slug = "risorse"
    show_in_menus = True


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Pagina {n}")
    slug = factory.Sequence(lambda n: f"pagina-{n}")
