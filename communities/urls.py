from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("designazioni/<int:pk>/atto/", views.designation_act, name="designation_act"),
]
