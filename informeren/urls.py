from django.urls import path

from informeren import redactie, views

app_name = "informeren"
urlpatterns = [
    path("informatie/", views.topics, name="topics"),
    path("informatie/<slug:slug>/", views.topic, name="topic"),
    path("informatie/<slug:slug>/<str:audience>/", views.topic, name="topic_audience"),
    path("begrippen/", views.glossary, name="glossary"),
    path("zoeken/", views.search, name="search"),
    path("redactie/", redactie.dashboard, name="redactie"),
    path("redactie/onderwerpen/nieuw/", redactie.topic_new, name="topic_new"),
    path("redactie/onderwerpen/<int:pk>/", redactie.topic_admin, name="topic_admin"),
    path(
        "redactie/onderwerpen/<int:pk>/nieuwe-versie/",
        redactie.revision_start,
        name="revision_start",
    ),
    path("redactie/versies/<int:pk>/", redactie.revision_detail, name="revision"),
    path("redactie/versies/<int:pk>/bewerken/", redactie.revision_edit, name="revision_edit"),
    path("redactie/versies/<int:pk>/indienen/", redactie.revision_submit, name="revision_submit"),
    path(
        "redactie/versies/<int:pk>/goedkeuren/", redactie.revision_approve, name="revision_approve"
    ),
    path("redactie/versies/<int:pk>/afkeuren/", redactie.revision_reject, name="revision_reject"),
    path(
        "redactie/versies/<int:pk>/publiceren/", redactie.revision_publish, name="revision_publish"
    ),
    path(
        "redactie/versies/<int:pk>/terugzetten/",
        redactie.revision_rollback,
        name="revision_rollback",
    ),
    path("redactie/voorbeeld/", redactie.preview, name="preview"),
]
