"""Signals the discussions app sends, exactly once per event whatever the path that created it
(the site's forms, the API, django-comments-xtd's endpoint). Notifications listen to them."""

from django.dispatch import Signal

#: ``sender=Topic, topic=<Topic>``: a topic was opened.
topic_opened = Signal()
#: ``sender=Reply, reply=<Reply>``: a reply was published.
reply_posted = Signal()
