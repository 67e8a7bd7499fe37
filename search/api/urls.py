"""The search API, mounted at ``/api/search/`` (outside the language prefixes: ``?lang=`` or
the request's language chooses the pages' language)."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.api_search, name="api"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
]
