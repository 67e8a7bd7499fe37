import datetime

import factory
import wagtail_factories
from django.utils import timezone

from academy.models import AcademyPage, CourseEdition, CoursePage, CourseSessionPage


class AcademyPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AcademyPage

    title = "Accademia dei Comuni Digitali"
    slug = "accademia"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Corso {n}")
    slug = factory.Sequence(lambda n: f"corso-{n}")
    code = factory.Sequence(lambda n: f"TST-{n:03d}")
    area = "cybersicurezza"
    level = "base"
    delivery = "mista"
    hours = 8
    summary = "Un corso di prova."
    questions = "Minacce comuni\nIgiene digitale"
    competences = "Riconoscere un phishing\nGestire le password"


def edition_for(course, *, days_open=10, capacity=None, waiting_list=True, **kwargs):
    today = timezone.localdate()
    values = {
        "name": "Edizione di prova",
        "starts_on": today + datetime.timedelta(days=days_open + 1),
        "ends_on": today + datetime.timedelta(days=days_open + 30),
        "enrolment_closes_on": today + datetime.timedelta(days=days_open),
        "capacity": capacity,
        "waiting_list": waiting_list,
    }
    values.update(kwargs)
    return CourseEdition.objects.create(course=course, **values)


class CourseSessionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseSessionPage

    title = factory.Sequence(lambda n: f"Sessione {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
