"""The member's validations in *La mia area*: the rounds waiting for my answer and my answers."""

from django.urls import path

from .views import rounds

app_name = "materials_member"

urlpatterns = [
    path("la-mia-area/validazioni/", rounds.my_rounds, name="rounds"),
]
