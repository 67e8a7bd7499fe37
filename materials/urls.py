"""The materials' pages (``/materiali/``): a working group's workspace, documents, versions and
their comments, the comparison of two versions, the files (after asking the policy), and the
validation rounds (reading, answering, following, closing, publishing)."""

from django.urls import path

from .feeds import MaterialsAtomFeed, MaterialsFeed
from .views import documents, rounds

app_name = "materials"

urlpatterns = [
    path("gruppi/<int:group_id>/", documents.workspace, name="workspace"),
    path("gruppi/<int:group_id>/nuovo/", documents.document_create, name="document_create"),
    path("gruppi/<int:group_id>/autori/", documents.author_credit, name="author_credit"),
    path("documenti/<int:pk>/", documents.document_detail, name="document"),
    path("documenti/<int:pk>/nuova-versione/", documents.version_create, name="version_create"),
    path("documenti/<int:pk>/confronta/", documents.compare, name="compare"),
    path("versioni/<int:pk>/", documents.version_detail, name="version"),
    path("versioni/<int:pk>/file/", documents.version_file, name="version_file"),
    path("versioni/<int:pk>/commenti/", documents.comment_create, name="comment_create"),
    path("commenti/<int:pk>/risolvi/", documents.comment_resolve, name="comment_resolve"),
    path("versioni/<int:pk>/validazione/", rounds.round_open, name="round_open"),
    path("validazioni/<int:pk>/", rounds.round_detail, name="round"),
    path("validazioni/<int:pk>/chiudi/", rounds.round_close, name="round_close"),
    path("validazioni/<int:pk>/ritira/", rounds.round_cancel, name="round_cancel"),
    path("validazioni/<int:pk>/pubblica/", rounds.round_publish, name="round_publish"),
    path("validazioni/<int:pk>/rimanda/", rounds.round_send_back, name="round_send_back"),
    path("feed/", MaterialsFeed(), name="feed"),
    path("feed/atom/", MaterialsAtomFeed(), name="feed_atom"),
]
