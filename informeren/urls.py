from django.urls import path

from informeren import redactie, views, wegwijzer

app_name = "informeren"
urlpatterns = [
    path("informatie/", views.topics, name="topics"),
    path("informatie/<slug:slug>/", views.topic, name="topic"),
    path("informatie/<slug:slug>/reactie/", views.feedback, name="feedback"),
    path("informatie/<slug:slug>/<str:audience>/", views.topic, name="topic_audience"),
    path("jongeren/", views.youth, name="youth"),
    path("kinderen/", views.children, name="children"),
    path("begrippen/", views.glossary, name="glossary"),
    path("zoeken/", views.search, name="search"),
    path("scholen/", views.schools, name="schools"),
    path("scholen/<int:pk>/", views.school, name="school"),
    path("organisaties/", views.organisaties, name="organisaties"),
    path("organisaties/<int:pk>/", views.organisatie, name="organisatie"),
    path("bijeenkomsten/", views.meetings, name="meetings"),
    path("bijeenkomsten/<int:pk>/", views.meeting, name="meeting"),
    path("bijeenkomsten/<int:pk>/agenda.ics", views.meeting_ics, name="meeting_ics"),
    path("bijeenkomsten/afmelden/<str:token>/", views.meeting_cancel, name="meeting_cancel"),
    path("ervaringen/", views.ervaringen, name="ervaringen"),
    path("ervaringen/<int:pk>/", views.ervaring, name="ervaring"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<slug:slug>/", views.checklist, name="checklist"),
    path("gelezen/<str:kind>/<int:pk>/", views.read, name="read"),
    path("wegwijzer/", wegwijzer.wegwijzer, name="wegwijzer"),
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
    path(
        "redactie/onderwerpen/<int:pk>/gecontroleerd/",
        redactie.topic_check,
        name="topic_check",
    ),
    path(
        "redactie/onderwerpen/<int:pk>/vertalen/<str:language>/",
        redactie.translation_start,
        name="translation_start",
    ),
    path("redactie/vertalingen/<int:pk>/", redactie.translation_detail, name="translation"),
    path(
        "redactie/vertalingen/<int:pk>/bewerken/",
        redactie.translation_edit,
        name="translation_edit",
    ),
    path(
        "redactie/vertalingen/<int:pk>/indienen/",
        redactie.translation_submit,
        name="translation_submit",
    ),
    path(
        "redactie/vertalingen/<int:pk>/goedkeuren/",
        redactie.translation_approve,
        name="translation_approve",
    ),
    path(
        "redactie/vertalingen/<int:pk>/afkeuren/",
        redactie.translation_reject,
        name="translation_reject",
    ),
    path(
        "redactie/vertalingen/<int:pk>/publiceren/",
        redactie.translation_publish,
        name="translation_publish",
    ),
    path("redactie/voorbeeld/", redactie.preview, name="preview"),
    path("redactie/wijzigingen/<int:pk>/", redactie.change_detail, name="change"),
    path("redactie/wijzigingen/<int:pk>/bewerken/", redactie.change_edit, name="change_edit"),
    path("redactie/wijzigingen/<int:pk>/indienen/", redactie.change_submit, name="change_submit"),
    path(
        "redactie/wijzigingen/<int:pk>/goedkeuren/",
        redactie.change_approve,
        name="change_approve",
    ),
    path("redactie/wijzigingen/<int:pk>/afkeuren/", redactie.change_reject, name="change_reject"),
    path(
        "redactie/wijzigingen/<int:pk>/publiceren/",
        redactie.change_publish,
        name="change_publish",
    ),
    path(
        "redactie/wijzigingen/<int:pk>/toestemming/",
        redactie.consent_detail,
        name="consent",
    ),
    path("redactie/begrippen/", redactie.begrip_list, name="begrip_list"),
    path("redactie/begrippen/nieuw/", redactie.begrip_edit, name="begrip_new"),
    path("redactie/begrippen/<int:pk>/", redactie.begrip_edit, name="begrip_edit"),
    path("redactie/ervaringen/", redactie.ervaring_list, name="ervaring_list"),
    path("redactie/ervaringen/nieuw/", redactie.ervaring_edit, name="ervaring_new"),
    path("redactie/ervaringen/<int:pk>/", redactie.ervaring_edit, name="ervaring_edit"),
    path(
        "redactie/ervaringen/<int:pk>/offline/",
        redactie.ervaring_withdraw,
        name="ervaring_withdraw",
    ),
    path("redactie/feestdagen/", redactie.feestdag_list, name="feestdag_list"),
    path(
        "redactie/feestdagen/<int:pk>/verwijderen/",
        redactie.feestdag_delete,
        name="feestdag_delete",
    ),
    path(
        "redactie/reacties/<int:pk>/verwijderen/", redactie.feedback_delete, name="feedback_delete"
    ),
    path("redactie/scholen/", redactie.school_profiles, name="school_profiles"),
    path("redactie/scholen/<int:pk>/", redactie.school_profile, name="school_profile"),
    path("redactie/bijeenkomsten/nieuw/", redactie.meeting_edit, name="meeting_new"),
    path("redactie/bijeenkomsten/<int:pk>/", redactie.meeting_edit, name="meeting_edit"),
    path("redactie/organisaties/", redactie.organisatie_list, name="organisatie_list"),
    path("redactie/organisaties/nieuw/", redactie.organisatie_edit, name="organisatie_new"),
    path("redactie/organisaties/<int:pk>/", redactie.organisatie_edit, name="organisatie_edit"),
    path("redactie/checklists/", redactie.checklist_list, name="checklist_list"),
    path("redactie/checklists/nieuw/", redactie.checklist_edit, name="checklist_new"),
    path("redactie/checklists/<int:pk>/", redactie.checklist_edit, name="checklist_edit"),
    path("redactie/synoniemen/", redactie.synonym_list, name="synonym_list"),
    path("redactie/synoniemen/nieuw/", redactie.synonym_edit, name="synonym_new"),
    path("redactie/synoniemen/<int:pk>/", redactie.synonym_edit, name="synonym_edit"),
    path(
        "redactie/synoniemen/<int:pk>/verwijderen/",
        redactie.synonym_delete,
        name="synonym_delete",
    ),
    path("redactie/zoekvragen/", redactie.search_queries, name="search_queries"),
    path("redactie/wegwijzer/", redactie.wegwijzer_routes, name="wegwijzer_routes"),
    path("redactie/wegwijzer/nieuw/", redactie.wegwijzer_route_edit, name="wegwijzer_route_new"),
    path(
        "redactie/wegwijzer/<int:pk>/", redactie.wegwijzer_route_edit, name="wegwijzer_route_edit"
    ),
    path(
        "redactie/wegwijzer/<int:pk>/verwijderen/",
        redactie.wegwijzer_route_delete,
        name="wegwijzer_route_delete",
    ),
    path(
        "redactie/wegwijzer/werkgebied/",
        redactie.wegwijzer_werkgebied,
        name="wegwijzer_werkgebied",
    ),
    path("medewerkers/bijeenkomsten/", redactie.meeting_list, name="meeting_list"),
    path(
        "medewerkers/bijeenkomsten/<int:pk>/",
        redactie.meeting_participants,
        name="meeting_participants",
    ),
]
