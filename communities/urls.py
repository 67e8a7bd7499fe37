from django.urls import path

from . import manage_views, views

app_name = "communities"

urlpatterns = [
    path("designazioni/<int:pk>/atto/", views.designation_act, name="designation_act"),
    # Management pages of coordinators and the support team (communities.manage_views).
    path("gestione/<int:pk>/", manage_views.community_home, name="manage_home"),
    path("gestione/<int:pk>/membri/", manage_views.members, name="manage_members"),
    path("gestione/<int:pk>/membri.csv", manage_views.members_csv, name="manage_members_csv"),
    path(
        "gestione/<int:pk>/designazioni/<int:designation_pk>/<slug:action>/",
        manage_views.designation_action,
        name="manage_designation",
    ),
    path(
        "gestione/<int:pk>/membri/<int:membership_pk>/rimuovi/",
        manage_views.member_remove,
        name="manage_member_remove",
    ),
    path(
        "gestione/<int:pk>/membri/<int:membership_pk>/sospendi/",
        manage_views.member_suspend,
        name="manage_member_suspend",
    ),
    path(
        "gestione/<int:pk>/membri/<int:membership_pk>/termina-sospensione/",
        manage_views.member_lift_suspension,
        name="manage_member_lift",
    ),
    path("gestione/<int:pk>/richieste/", manage_views.member_requests, name="manage_requests"),
    path(
        "gestione/<int:pk>/richieste/<int:request_pk>/",
        manage_views.member_request_decide,
        name="manage_request_decide",
    ),
    path("gestione/<int:pk>/gruppi/nuovo/", manage_views.group_create, name="manage_group_create"),
    path("gestione/gruppi/<int:pk>/", manage_views.group_detail, name="manage_group"),
    path("gestione/gruppi/<int:pk>/modifica/", manage_views.group_edit, name="manage_group_edit"),
    path("gestione/gruppi/<int:pk>/invita/", manage_views.group_invite, name="manage_group_invite"),
    path(
        "gestione/gruppi/<int:pk>/richieste/<int:membership_pk>/",
        manage_views.group_answer_request,
        name="manage_group_request",
    ),
    path(
        "gestione/gruppi/<int:pk>/coordinatore/",
        manage_views.group_set_coordinator,
        name="manage_group_coordinator",
    ),
]
