from django.urls import path

from steunen import (
    afspraak_views,
    backoffice_views,
    buddy_views,
    evaluations,
    expert_views,
    staff,
    terugbel_views,
    views,
)
from steunen.referral_views import case_follow_up, follow_ups

app_name = "steunen"
urlpatterns = [
    # The asker's side.
    path("vraag/", views.ask, name="ask"),
    path("vraag/kind/", views.ask_child, name="ask_child"),
    path("vraag/terug/", views.return_with_code, name="return"),
    path("vraag/terug/gesprek/", views.conversation, name="conversation"),
    path("vraag/terug/sluiten/", views.leave_conversation, name="leave"),
    path("vraag/terug/download/", views.download_conversation, name="download"),
    path("vraag/terug/verwijderen/", views.delete_conversation, name="delete"),
    path("vraag/terug/beoordeling/", evaluations.evaluate, name="evaluate"),
    path("vraag/terug/beoordeling/opnieuw/", evaluations.evaluate_reopen, name="evaluate_reopen"),
    path("vraag/terug/bijlage/<str:token>/", views.asker_attachment, name="asker_attachment"),
    # Buddies (steunen/buddy_views.py).
    path("buddy/", buddy_views.info, name="buddy_info"),
    path("vraag/terug/buddy/", buddy_views.asker_wish, name="asker_buddy"),
    path("medewerkers/buddy/", buddy_views.mine, name="buddy_mine"),
    path("medewerkers/buddy/uitnodiging/<int:pk>/", buddy_views.answer, name="buddy_answer"),
    path("medewerkers/buddy/vragen/<int:pk>/bericht/", buddy_views.message, name="buddy_message"),
    path("medewerkers/buddys/", buddy_views.pool, name="buddy_pool"),
    path("medewerkers/buddys/nieuw/", buddy_views.profile_edit, name="buddy_profile_new"),
    path("medewerkers/buddys/<int:pk>/", buddy_views.profile_edit, name="buddy_profile_edit"),
    path("medewerkers/vragen/<int:pk>/buddy/", buddy_views.match, name="case_buddy_match"),
    path(
        "medewerkers/vragen/<int:pk>/buddy/uitnodigen/",
        buddy_views.invite,
        name="case_buddy_invite",
    ),
    path("medewerkers/vragen/<int:pk>/buddywens/", buddy_views.staff_wish, name="case_buddy_wish"),
    path("medewerkers/vragen/<int:pk>/meelezer/", buddy_views.add_reader, name="case_reader_add"),
    path(
        "medewerkers/vragen/<int:pk>/mensen/<int:member_pk>/weg/",
        buddy_views.remove_member,
        name="case_member_remove",
    ),
    # Call-back requests (steunen/terugbel_views.py).
    path("vraag/terugbellen/", terugbel_views.callback, name="callback"),
    # Appointments (steunen/afspraak_views.py).
    path("afspraak/", afspraak_views.slots, name="afspraak_slots"),
    path("afspraak/<int:pk>/", afspraak_views.book, name="afspraak_book"),
    path("afspraak/beheer/<str:token>/", afspraak_views.manage, name="afspraak_manage"),
    path("afspraak/beheer/<str:token>/afzeggen/", afspraak_views.cancel, name="afspraak_cancel"),
    path("afspraak/beheer/<str:token>/verzetten/", afspraak_views.move, name="afspraak_move"),
    path("afspraak/beheer/<str:token>/agenda.ics", afspraak_views.calendar, name="afspraak_ics"),
    path("medewerkers/afspraken/", afspraak_views.day, name="afspraak_day"),
    path("medewerkers/afspraken/reeks/", afspraak_views.series, name="afspraak_series"),
    path(
        "medewerkers/afspraken/<int:pk>/annuleren/",
        afspraak_views.cancel_slot,
        name="afspraak_slot_cancel",
    ),
    # The staff side.
    path("medewerkers/", staff.dashboard, name="dashboard"),
    path("medewerkers/vragen/", staff.inbox, name="inbox"),
    path("medewerkers/vragen/nieuw/", staff.new_case, name="new_case"),
    path("medewerkers/vragen/<int:pk>/", staff.case_detail, name="case"),
    path("medewerkers/vragen/<int:pk>/antwoord/", staff.case_answer, name="case_answer"),
    path("medewerkers/vragen/<int:pk>/notitie/", staff.case_note, name="case_note"),
    path("medewerkers/vragen/<int:pk>/status/", staff.case_status, name="case_status"),
    path("medewerkers/vragen/<int:pk>/behandelaar/", staff.case_assign, name="case_assign"),
    path("medewerkers/vragen/<int:pk>/themas/", staff.case_themes, name="case_themes"),
    path("medewerkers/vragen/<int:pk>/spoed/", staff.case_urgency, name="case_urgency"),
    path("medewerkers/vragen/<int:pk>/swv/", staff.case_swv, name="case_swv"),
    path("medewerkers/vragen/<int:pk>/tijd/", staff.case_time, name="case_time"),
    path("medewerkers/vragen/<int:pk>/verwijzing/", staff.case_referral, name="case_referral"),
    path(
        "medewerkers/vragen/<int:pk>/verwijzing/<int:referral_pk>/nagebeld/",
        case_follow_up,
        name="case_follow_up",
    ),
    path("medewerkers/nabellen/", follow_ups, name="follow_ups"),
    path("medewerkers/vragen/<int:pk>/afronden/", staff.case_close, name="case_close"),
    path("medewerkers/vragen/<int:pk>/heropenen/", staff.case_reopen, name="case_reopen"),
    path("medewerkers/vragen/<int:pk>/samenvoegen/", staff.case_merge, name="case_merge"),
    path(
        "medewerkers/vragen/<int:pk>/samenvoegen/<int:merge_pk>/terugdraaien/",
        staff.case_merge_undo,
        name="case_merge_undo",
    ),
    path("medewerkers/vragen/<int:pk>/verwijderen/", staff.case_erase, name="case_erase"),
    path("medewerkers/vragen/<int:pk>/download/", staff.case_download, name="case_download"),
    path("medewerkers/vragen/<int:pk>/auditlog/", staff.case_audit, name="case_audit"),
    # Appointments, call-backs and the back office on the case (steunen/backoffice_views.py).
    path(
        "medewerkers/vragen/<int:pk>/afspraken/<int:booking_pk>/gehouden/",
        backoffice_views.booking_held,
        name="case_booking_held",
    ),
    path(
        "medewerkers/vragen/<int:pk>/terugbellen/<int:callback_pk>/gebeld/",
        backoffice_views.callback_called,
        name="case_callback_called",
    ),
    path(
        "medewerkers/vragen/<int:pk>/terugbellen/<int:callback_pk>/niet-bereikt/",
        backoffice_views.callback_not_reached,
        name="case_callback_not_reached",
    ),
    path("medewerkers/vragen/<int:pk>/advies/", backoffice_views.advice, name="case_advice"),
    path(
        "medewerkers/vragen/<int:pk>/advies/<int:consultation_pk>/reactie/",
        backoffice_views.advice_reply,
        name="case_advice_reply",
    ),
    path(
        "medewerkers/vragen/<int:pk>/advies/<int:consultation_pk>/link/",
        expert_views.make_link,
        name="case_expert_link",
    ),
    # The expert's own link: the advice question and their advice, without a login.
    path("advies/<str:token>/", expert_views.expert_advice, name="expert_advice"),
    path("medewerkers/vragen/<int:pk>/escaleren/", backoffice_views.escalate, name="case_escalate"),
    path(
        "medewerkers/vragen/<int:pk>/escaleren/afhandelen/",
        backoffice_views.escalation_resolve,
        name="case_escalation_resolve",
    ),
    path(
        "medewerkers/vragen/<int:pk>/bijlage/<str:token>/",
        staff.case_attachment,
        name="case_attachment",
    ),
    path("medewerkers/beoordelingen/", evaluations.remarks, name="evaluation_remarks"),
    path(
        "medewerkers/beoordelingen/<int:pk>/verwijderen/",
        evaluations.remark_delete,
        name="evaluation_remark_delete",
    ),
    path("medewerkers/standaardantwoorden/", staff.canned_answers, name="canned_answers"),
    path(
        "medewerkers/standaardantwoorden/nieuw/",
        staff.canned_answer_edit,
        name="canned_answer_new",
    ),
    path(
        "medewerkers/standaardantwoorden/<int:pk>/",
        staff.canned_answer_edit,
        name="canned_answer_edit",
    ),
]
