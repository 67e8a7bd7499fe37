"""The only django-comments(-xtd) URLs the portal mounts, at /commenti/.

``comments-post-comment`` is the library's posting endpoint behind
``discussions.gate.post_comment``: the gate holds the access policy there (a refused post stores
nothing) and answers form errors, previews and refusals with the portal's messages (never the
library's preview template, which reverses URLs not mounted here). The rest of the library's URLs
are not mounted: its comment list API (``api/<content_type>/<pk>/``) and the ``cr/`` shortcut
would tell non-members about topics, and flags, likes and moderation have the portal's own
views.
"""

from django.urls import path
from django_comments.views.comments import comment_done

from .gate import post_comment

urlpatterns = [
    path("post/", post_comment, name="comments-post-comment"),
    path("posted/", comment_done, name="comments-comment-done"),
]
