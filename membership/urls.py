from django.urls import path

from . import views

app_name = "membership"

urlpatterns = [
    path("accedi/", views.LoginView.as_view(), name="login"),
    path("esci/", views.LogoutView.as_view(), name="logout"),
]
