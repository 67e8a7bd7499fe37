"""The member's questionnaires in La mia area (``/la-mia-area/sondaggi/``), mounted by
``cms/urls.py``."""

from .views import member

app_name = "surveys_member"

urlpatterns = [*member.urlpatterns]
