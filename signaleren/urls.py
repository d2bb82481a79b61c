from django.urls import path

from signaleren import views

app_name = "signaleren"
urlpatterns = [
    path("signalen/", views.dashboard, name="dashboard"),
]
