"""The questionnaires' site URLs under ``/questionari/`` (the pages themselves live under
"Sondaggi" and the reserved areas) (mounted by ``cms/urls.py``): answering
(``views/answer.py``) and results (``views/results.py``); each view module lists its own."""

from .views import answer, results

app_name = "surveys"

urlpatterns = [*answer.urlpatterns, *results.urlpatterns]
