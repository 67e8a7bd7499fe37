"""The questionnaires' site URLs under ``/questionari/``, mounted by ``cms/urls.py`` (the pages
themselves live under "Sondaggi" and in the reserved areas): answering (``views/answer.py``) and
results (``views/results.py``); each view module lists its own."""

from .views import answer, results

app_name = "surveys"

urlpatterns = [*answer.urlpatterns, *results.urlpatterns]
