"""The search page (``/cerca/``, under the language prefix: see ``cms/urls.py``)."""

from django.urls import path

from . import views

urlpatterns = [path("", views.search, name="search")]
