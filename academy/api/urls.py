"""URLs of the Accademia in the community API (tags ``courses`` and ``badges``), included by
``communities/api/urls.py`` (``/api/community/v1/``)."""

from django.urls import path

from . import views as api

urlpatterns = [
    path("academy/courses/", api.CourseList.as_view(), name="academy_course_list"),
    path("academy/courses/<int:pk>/", api.CourseDetail.as_view(), name="academy_course_detail"),
    path(
        "academy/editions/<int:pk>/enrolment/",
        api.EditionEnrolment.as_view(),
        name="academy_enrolment",
    ),
    path("academy/me/enrolments/", api.MyEnrolments.as_view(), name="academy_my_enrolments"),
    path("academy/me/badges/", api.MyBadges.as_view(), name="academy_my_badges"),
    path("academy/badges/", api.BadgeList.as_view(), name="academy_badge_list"),
    path("academy/badges/verify/", api.BadgeVerify.as_view(), name="academy_badge_verify"),
    path("academy/badges/<uuid:uuid>/", api.BadgeDetail.as_view(), name="academy_badge_detail"),
    path(
        "academy/badges/<uuid:uuid>/revoke/",
        api.BadgeRevoke.as_view(),
        name="academy_badge_revoke",
    ),
]
