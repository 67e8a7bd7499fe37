"""Models of the mailing list: subscriptions, announcements and their deliveries, member
notices, private feed tokens."""

from .announcements import AnnouncementPage, Delivery, Dispatch
from .subscriptions import FeedToken, Notice, Subscription

__all__ = ["AnnouncementPage", "Delivery", "Dispatch", "FeedToken", "Notice", "Subscription"]
