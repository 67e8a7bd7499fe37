from django.urls import path

from .views import files, manage, manage_groups, manage_members, support

app_name = "communities"

urlpatterns = [
    path("designazioni/<int:pk>/atto/", files.designation_act, name="designation_act"),
    # Management pages of coordinators and the support team (communities.views.manage*).
    path("gestione/<int:pk>/", manage.community_home, name="manage_home"),
    path("gestione/<int:pk>/team-di-supporto/", support.manage, name="manage_support"),
    path(
        "gestione/candidature/<int:pk>/decisione/",
        support.decide,
        name="manage_support_decide",
    ),
    path("gestione/<int:pk>/membri/", manage_members.members, name="manage_members"),
    path("gestione/<int:pk>/membri.csv", manage_members.members_csv, name="manage_members_csv"),
    path(
        "gestione/<int:pk>/designazioni/<int:designation_pk>/<slug:action>/",
        manage_members.designation_action,
        name="manage_designation",
    ),
    path(
        "gestione/<int:pk>/membri/<int:membership_pk>/rimuovi/",
        manage_members.member_remove,
        name="manage_member_remove",
    ),
    path(
        "gestione/<int:pk>/membri/<int:membership_pk>/sospendi/",
        manage_members.member_suspend,
        name="manage_member_suspend",
    ),
    path(
        "gestione/<int:pk>/membri/<int:membership_pk>/termina-sospensione/",
        manage_members.member_lift_suspension,
        name="manage_member_lift",
    ),
    path("gestione/<int:pk>/richieste/", manage_members.member_requests, name="manage_requests"),
    path(
        "gestione/<int:pk>/richieste/<int:request_pk>/",
        manage_members.member_request_decide,
        name="manage_request_decide",
    ),
    path("gestione/<int:pk>/gruppi/nuovo/", manage_groups.group_create, name="manage_group_create"),
    path("gestione/gruppi/<int:pk>/", manage_groups.group_detail, name="manage_group"),
    path("gestione/gruppi/<int:pk>/modifica/", manage_groups.group_edit, name="manage_group_edit"),
    path(
        "gestione/gruppi/<int:pk>/invita/", manage_groups.group_invite, name="manage_group_invite"
    ),
    path(
        "gestione/gruppi/<int:pk>/richieste/<int:membership_pk>/",
        manage_groups.group_answer_request,
        name="manage_group_request",
    ),
    path(
        "gestione/gruppi/<int:pk>/coordinatore/",
        manage_groups.group_set_coordinator,
        name="manage_group_coordinator",
    ),
]
