"""Publishing a questionnaire (in the default language) freezes its questions as a new version
when they changed; the responses already sent keep theirs."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import SurveyPage
from .services import freeze_version


@receiver(page_published, sender=SurveyPage)
def freeze_on_publish(sender, instance, revision=None, **kwargs):
    if instance.survey.pk != instance.pk:
        return  # a translation translates the labels; the questions are the original's
    user = getattr(revision, "user", None) if revision is not None else None
    freeze_version(instance, user=user)
