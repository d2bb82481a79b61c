from django.urls import path

from steunen import views

app_name = "steunen"
urlpatterns = [
    path("medewerkers/", views.dashboard, name="dashboard"),
]
