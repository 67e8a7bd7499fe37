"""URLs of the mailing list in the community API, included by ``communities/api/urls.py``."""

from django.urls import path

from . import views as api

urlpatterns = [
    path("announcements/", api.AnnouncementList.as_view(), name="announcement_list"),
    path("announcements/<int:pk>/", api.AnnouncementDetail.as_view(), name="announcement_detail"),
    path(
        "announcements/<int:pk>/deliveries/",
        api.AnnouncementDeliveries.as_view(),
        name="announcement_deliveries",
    ),
    path("me/subscriptions/", api.MySubscriptions.as_view(), name="subscription_list"),
    path("me/subscriptions/<int:pk>/", api.MySubscription.as_view(), name="subscription_detail"),
    path("me/notices/", api.MyNotices.as_view(), name="notice_list"),
    path("me/notices/<int:pk>/read/", api.MyNoticeRead.as_view(), name="notice_read"),
]
