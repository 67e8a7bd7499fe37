"""Placeholder until the views land."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


workspace = document_create = author_credit = document_detail = version_create = _todo
compare = version_detail = version_file = comment_create = comment_resolve = _todo
