"""URLs of the questionnaires in the community API (tag ``surveys``), included by
``communities/api/urls.py`` (``/api/community/v1/``)."""

from django.urls import path

from . import views as api

urlpatterns = [
    path("surveys/", api.SurveyList.as_view(), name="survey_list"),
    path("surveys/<int:pk>/", api.SurveyDetail.as_view(), name="survey_detail"),
    path("surveys/<int:pk>/draft/", api.SurveyDraft.as_view(), name="survey_draft"),
    path("surveys/<int:pk>/response/", api.SurveyResponse.as_view(), name="survey_response"),
    path("surveys/<int:pk>/results/", api.SurveyResults.as_view(), name="survey_results"),
    path("me/survey-drafts/", api.MySurveyDrafts.as_view(), name="my_survey_drafts"),
]
