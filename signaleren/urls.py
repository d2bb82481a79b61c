from django.urls import path

from signaleren import national_views, views

app_name = "signaleren"
urlpatterns = [
    path("signalen/", views.dashboard, name="dashboard"),
    path("signalen/live/", views.live, name="live"),
    path("signalen/rapportages/nieuw/", views.report_edit, name="report_new"),
    path("signalen/rapportages/<int:pk>/", views.report, name="report"),
    path("signalen/rapportages/<int:pk>/bewerken/", views.report_edit, name="report_edit"),
    path("signalen/rapportages/<int:pk>/publiceren/", views.report_publish, name="report_publish"),
    path("signalen/rapportages/<int:pk>/verwijderen/", views.report_delete, name="report_delete"),
    path("signalen/rapportages/<int:pk>/rapportage.pdf", views.report_pdf_view, name="report_pdf"),
    path("signalen/rapportages/<int:pk>/rapportage.csv", views.report_csv, name="report_csv"),
    path("signalen/signalen/nieuw/", views.signal_edit, name="signal_new"),
    path("signalen/signalen/<int:pk>/", views.signal_detail, name="signal"),
    path("signalen/signalen/<int:pk>/bewerken/", views.signal_edit, name="signal_edit"),
    path("signalen/doelen/", views.goal_list, name="goals"),
    path("signalen/doelen/nieuw/", views.goal_edit, name="goal_new"),
    path("signalen/doelen/<int:pk>/bewerken/", views.goal_edit, name="goal_edit"),
    path("signalen/doelen/<int:pk>/verwijderen/", views.goal_delete, name="goal_delete"),
    path(
        "signalen/rapportages/<int:pk>/jaaroverzicht/",
        views.summary_publish,
        name="summary_publish",
    ),
    path(
        "signalen/rapportages/<int:pk>/jaaroverzicht/offline/",
        views.summary_withdraw,
        name="summary_withdraw",
    ),
    path(
        "signalen/rapportages/<int:pk>/delen/",
        national_views.report_share,
        name="report_share",
    ),
    path("signalen/landelijk/", national_views.picture_page, name="national"),
    # The hub's API for regions (signaleren/national.py): signed, no session.
    path("landelijk/signalen/", national_views.receive_report, name="national_receive"),
    path("landelijk/beeld/", national_views.picture_json, name="national_picture"),
    path("jaarverslag/", views.annual_summaries, name="annual_summaries"),
    path("jaarverslag/<int:year>/", views.annual_summary, name="annual_summary"),
]
