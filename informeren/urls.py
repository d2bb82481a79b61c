from django.urls import path

from informeren import views

app_name = "informeren"
urlpatterns = [
    path("redactie/", views.redactie, name="redactie"),
]
