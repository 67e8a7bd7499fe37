"""Placeholder until the views land."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


round_open = round_detail = round_close = round_cancel = round_publish = _todo
round_send_back = my_rounds = _todo
