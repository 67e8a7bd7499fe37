"""The unread notifications count in the header, for registered members (and superusers) only,
computed lazily: the query runs when (and only the first time) a template reads
``discussion_notifications.unread``."""

from django.utils.functional import cached_property


class UnreadNotifications:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        from .notifications import unread_count

        return unread_count(self.user)


def notifications(request):
    from membership.registration import is_registered

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not (is_registered(user) or user.is_superuser):
        return {}  # in registration, or an editor: no discussions, no notifications
    return {"discussion_notifications": UnreadNotifications(user)}
