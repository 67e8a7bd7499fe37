from django.urls import path

from .saml.views import PortalLogoutView
from .views import enti, login, onboarding, profile

app_name = "membership"

urlpatterns = [
    path("accedi/", login.LoginView.as_view(), name="login"),
    path("esci/", PortalLogoutView.as_view(), name="logout"),
    path("registrazione/", onboarding.onboarding, name="onboarding"),
    path("enti/cerca/", enti.ente_search, name="ente_search"),
    path("profilo/", profile.profile, name="profile"),
    path("profilo/dati.json", profile.data_export, name="profile_export"),
    path("profilo/elimina/", profile.delete_account, name="profile_delete"),
]
