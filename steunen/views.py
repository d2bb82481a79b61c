"""The asker's side: ask a question, come back with the code, reply."""

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from crispy_forms.utils import render_crispy_form
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from informeren import searchlog
from steunen import actions, attachments
from steunen.asker_forms import (
    WRONG_CODE_MESSAGE,
    DeleteForm,
    QuestionForm,
    ReplyForm,
    ReturnCodeForm,
    question_initial,
)
from steunen.buddies import buddy_author_ids
from steunen.models import AskerType, Attachment, Case, Evaluation, Status
from steunen.referrals import contact_cards
from steunen.young_forms import ChildQuestionForm, YouthReplyForm, YouthReturnCodeForm
from steunpunt import puzzle, ratelimit
from steunpunt.cache import kept_form_fields
from steunpunt.http import require_form_methods

logger = logging.getLogger(__name__)

SESSION_CASE = "asker_case_id"
SESSION_SINCE = "asker_since"


def _is_child(request: HttpRequest) -> bool:
    """The child's form (/vraag/kind/), also when its post failed the CSRF check."""
    match = request.resolver_match
    return match is not None and match.url_name == "ask_child"


def _is_youth(request: HttpRequest) -> bool:
    """A youth or a child: their pages say "je" from start to end."""
    asked = request.GET.get("voor") or request.POST.get("voor")
    return asked in ("jongere", "kind") or _is_child(request)


def _form_class(request: HttpRequest) -> type[QuestionForm]:
    return ChildQuestionForm if _is_child(request) else QuestionForm


def _audience_of(case: Case) -> str:
    """Who the asker's pages speak to: "jongere" and "kind" get "je", anyone else "u"."""
    return case.asker_type if case.asker_type in (AskerType.JONGERE, AskerType.KIND) else ""


def youth_visit(request: HttpRequest, case: Case | None) -> bool:
    """Whether the pages say "je": the case is a youth's or a child's, or, without a
    case, the visit asked for the youth's pages (``?voor=jongere``). For the pages
    of other apps' forms an asker reaches with or without a code (call-back, booking)."""
    if case is not None:
        return bool(_audience_of(case))
    return (request.GET.get("voor") or request.POST.get("voor")) in ("jongere", "kind")


@never_cache
@require_form_methods
def ask_child(request: HttpRequest) -> HttpResponse:
    """/vraag/kind/: a form a child of nine can fill in (steunen/young_forms.py)."""
    return ask(request)


@never_cache
@require_form_methods
def ask(request: HttpRequest) -> HttpResponse:
    youth = _is_youth(request)
    child = _is_child(request)
    form_class = _form_class(request)  # the child's form, or the usual one
    if request.method == "POST":
        if ratelimit.is_limited(
            "question", request, limit=settings.QUESTIONS_PER_HOUR, window=3600
        ):
            # Not checked (no file read): what was typed comes back as it was sent.
            form = form_class(initial=_typed(request), youth=youth)
            return _too_many_questions(request, form, youth)
        if request.POST.get("website"):  # the honeypot: only bots fill it in
            return render(request, "steunpunt/too_many_questions.html", status=400)
        form = form_class(request.POST, request.FILES, youth=youth)
        if form.already_submitted():
            return render(request, "steunen/receipt_again.html", {"youth": youth, "child": child})
        if form.is_valid():
            solved = puzzle.check(request.POST)
            if not solved.passed:  # without JavaScript, sent within seconds: once more
                context = {
                    "form": form,
                    "youth": youth,
                    "child": child,
                    "puzzle": solved.puzzle,
                    "puzzle_wait": solved.wait_seconds,
                    "file_chosen": bool(request.FILES),
                }
                return render(request, "steunen/ask.html", context)
            # Counted before it is saved: parallel posts cannot pass the limit together.
            if not ratelimit.take(
                "question", request, limit=settings.QUESTIONS_PER_HOUR, window=3600
            ):
                return _too_many_questions(request, form, youth)
            try:
                case, code = form.submit()
            except IntegrityError:
                # The same form sent twice at once: the other request made the case.
                return render(
                    request, "steunen/receipt_again.html", {"youth": youth, "child": child}
                )
            file_lost = not _store_attachment(case, form.cleaned_data.get("attachment"))
            searchlog.record_asked_after_search(form.cleaned_data["na_zoeken"])
            # The code is shown in this response only: never stored, never in a URL.
            context = {
                "case": case,
                "code": code,
                "youth": youth,
                "child": child,
                "file_lost": file_lost,
            }
            return render(request, "steunen/receipt.html", context)
        context = {
            "form": form,
            "youth": youth,
            "child": child,
            "puzzle": puzzle.posted_or_new(request.POST),
        }
    else:
        initial = question_initial(request.GET)
        form = form_class(initial=initial, youth=youth)
        context = {"form": form, "youth": youth, "child": child, "puzzle": puzzle.issue()}
        if not initial:  # an empty form: its fields are the same for everyone
            audience = "child" if child else "youth" if youth else "parent"
            context["form_fields"] = kept_form_fields(
                f"ask-form-fields:{audience}",
                lambda: render_crispy_form(form_class(youth=youth)),
            )
    return render(request, "steunen/ask.html", context)


def _typed(request: HttpRequest) -> dict[str, Any]:
    """What the asker typed into the question form, as its initial values (no file)."""
    kept_fields = [
        name
        for name in _form_class(request).base_fields
        if name not in ("submission_token", "attachment")
    ]
    initial: dict[str, Any] = {name: request.POST.get(name, "") for name in kept_fields}
    initial["themes"] = request.POST.getlist("themes")
    initial["thuiszitter"] = bool(request.POST.get("thuiszitter"))
    return initial


def _too_many_questions(request: HttpRequest, form: QuestionForm, youth: bool) -> HttpResponse:
    """Over the hourly limit: nothing stored, the form again with everything typed kept."""
    context = {
        "form": form,
        "youth": youth,
        "child": _is_child(request),
        "puzzle": puzzle.issue(),
        "too_many": True,
        "file_chosen": bool(request.FILES),
    }
    return render(request, "steunen/ask.html", context, status=429)


def ask_after_csrf_failure(request: HttpRequest, *, no_cookie: bool = False) -> HttpResponse:
    """The question form again (the child's too), with what was typed, after a failed
    CSRF check.

    The check fails when the browser lost or never kept its cookie, or the
    page stood open very long. Nothing was stored; what the asker typed comes
    back in a fresh form (with a token that works) so they only press send.
    ``no_cookie``: the browser sent no cookie at all; if it keeps none, sending
    again fails the same way, so the message says what to do then.
    """
    youth = _is_youth(request)
    initial = _typed(request)
    phone = settings.STEUNPUNT_PHONE
    if no_cookie:
        text = (
            _(
                "Je vraag is nog niet verstuurd: je browser stuurde geen cookie mee. Wat je "
                "schreef staat hieronder. Druk nog een keer op versturen. Lukt het weer niet? "
                "Zet cookies voor deze website aan, of bel ons: %(phone)s."
            )
            if youth
            else _(
                "Uw vraag is nog niet verstuurd: uw browser stuurde geen cookie mee. Wat u "
                "schreef staat hieronder. Druk nog een keer op versturen. Lukt het weer niet? "
                "Zet cookies voor deze website aan, of bel ons: %(phone)s."
            )
        )
    else:
        text = (
            _(
                "Je vraag is nog niet verstuurd: de pagina was verlopen. Wat je schreef staat "
                "hieronder. Druk nog een keer op versturen."
            )
            if youth
            else _(
                "Uw vraag is nog niet verstuurd: de pagina was verlopen. Wat u schreef staat "
                "hieronder. Druk nog een keer op versturen."
            )
        )
    messages.error(request, text % {"phone": phone} if no_cookie else text)
    if request.FILES:
        messages.info(
            request,
            _("Had je een bestand toegevoegd? Voeg het dan opnieuw toe.")
            if youth
            else _("Had u een bestand toegevoegd? Voeg het dan opnieuw toe."),
        )
    context = {
        "form": _form_class(request)(initial=initial, youth=youth),
        "youth": youth,
        "child": _is_child(request),
        "puzzle": puzzle.issue(),
    }
    return render(request, "steunen/ask.html", context, status=403)


def _store_attachment(case: Case, prepared: tuple[str, bytes, str] | None) -> bool:
    """Save a checked file; a disk failure must not cost the asker the question itself."""
    if not prepared:
        return True
    try:
        attachments.store(case, prepared)
    except OSError:
        logger.exception("Could not store an attachment for case %s", case.pk)
        return False
    return True


def _failed_attempt(request: HttpRequest) -> None:
    time.sleep(settings.RETURN_CODE_FAILURE_DELAY)


@never_cache
@require_form_methods
def return_with_code(request: HttpRequest) -> HttpResponse:
    """Enter the return code (POST only, so it never lands in a URL or history).

    ``?voor=jongere`` (or ``kind``) says "je": the youth's receipt and pages link here so.
    """
    code_form = YouthReturnCodeForm if _is_youth(request) else ReturnCodeForm
    if request.method == "POST":
        form = code_form(request.POST)
        if form.is_valid():
            # The puzzle of the question form: guessing codes from many addresses
            # costs the guesser a second of computing per guess.
            solved = puzzle.check(request.POST)
            if not solved.passed:  # without JavaScript, sent within seconds: once more
                # Not counted as a try. The field keeps what was typed, as on a wrong code.
                context = {"form": form, "puzzle": solved.puzzle, "code_wait": solved.wait_seconds}
                return _return_form(request, context)
        # Every try is counted before the code is looked up, so parallel guesses
        # cannot pass the limit together; a right code gives its try back.
        if not ratelimit.take(
            "return-code",
            request,
            limit=settings.RETURN_CODE_ATTEMPTS,
            window=settings.RETURN_CODE_WINDOW_SECONDS,
        ):
            return render(request, "steunen/too_many_attempts.html", status=429)
        case = actions.find_case_by_code(form.cleaned_data["code"]) if form.is_valid() else None
        if case is not None:
            ratelimit.give_back("return-code", request, window=settings.RETURN_CODE_WINDOW_SECONDS)
            request.session.cycle_key()
            request.session[SESSION_CASE] = case.pk
            request.session[SESSION_SINCE] = timezone.now().isoformat()
            return redirect("steunen:conversation")
        if form.is_valid():
            form.add_error("code", WRONG_CODE_MESSAGE)
        _failed_attempt(request)
    else:
        form = code_form()
    return _return_form(request, {"form": form, "puzzle": puzzle.issue()})


def _return_form(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    context["form"].helper.form_tag = False  # the template's form tag holds the puzzle too
    context["youth"] = _is_youth(request)
    return render(request, "steunen/return.html", context)


def _within_quota(case: Case, form: ReplyForm) -> bool:
    """What one code may send a day (replies, files, their bytes; each reply mails the
    staff): within it, counted; past it, the form says so and keeps what was typed."""
    uses = [("replies", 1, settings.ASKER_REPLIES_PER_DAY)]
    if prepared := form.cleaned_data.get("attachment"):
        uses.append(("files", 1, settings.ASKER_FILES_PER_DAY))
        uses.append(("file-bytes", len(prepared[1]), settings.ASKER_FILE_BYTES_PER_DAY))
    over = ratelimit.over_daily_quota(f"case:{case.pk}", uses)
    if over == "replies":
        form.add_error(
            None,
            _(
                "U heeft vandaag al veel berichten gestuurd. Wij lezen ze eerst. Morgen "
                "kunt u weer reageren. Is het dringend? Bel ons dan."
            ),
        )
    elif over:
        form.add_error(
            "attachment",
            _(
                "U heeft vandaag al genoeg bestanden gestuurd. Stuur uw bericht zonder "
                "bestand, of voeg het morgen toe."
            ),
        )
    return over is None


def _asker_case(request: HttpRequest) -> Case | None:
    """The case this browser opened with a code, while that is recent enough."""
    case_id = request.session.get(SESSION_CASE)
    since = request.session.get(SESSION_SINCE)
    if not case_id or not since:
        return None
    opened = datetime.fromisoformat(since)
    if timezone.now() - opened > timedelta(minutes=settings.ASKER_SESSION_MINUTES):
        _forget_case(request)
        return None
    return Case.objects.live().filter(pk=case_id).first()


def _forget_case(request: HttpRequest) -> None:
    request.session.pop(SESSION_CASE, None)
    request.session.pop(SESSION_SINCE, None)


@never_cache
@require_form_methods
def conversation(request: HttpRequest) -> HttpResponse:
    case = _asker_case(request)
    if case is None:
        messages.info(request, _("Vul uw code (opnieuw) in om uw vraag te openen."))
        return redirect("steunen:return")
    youth = bool(_audience_of(case))
    reply_form = YouthReplyForm if youth else ReplyForm
    if request.method == "POST":
        form = reply_form(request.POST, request.FILES)
        if form.is_valid() and _within_quota(case, form):
            actions.reply_as_asker(case=case, body=form.cleaned_data["body"])
            if not _store_attachment(case, form.cleaned_data.get("attachment")):
                messages.error(
                    request,
                    _("Je bestand kon niet worden bewaard. Probeer het later nog eens.")
                    if youth
                    else _("Uw bestand kon niet worden bewaard. Probeer het later nog eens."),
                )
            messages.success(
                request,
                _("Je reactie is verstuurd. We lezen hem zo snel mogelijk.")
                if youth
                else _("Uw reactie is verstuurd. Wij lezen hem zo snel mogelijk."),
            )
            return redirect("steunen:conversation")
    else:
        form = reply_form()
    context = {
        "case": case,
        "conversation": case.messages.prefetch_related("attachments"),
        "form": form,
        "youth": youth,
        # Files the asker sent; a file of ours shows with the answer it came with.
        "asker_files": case.attachments.filter(message__isnull=True),
        "contact_cards": contact_cards(case),
        "buddy_authors": buddy_author_ids(case),  # their messages say "Buddy"
    }
    evaluation = Evaluation.objects.filter(case=case).first()
    if case.status == Status.AFGEROND and evaluation is None:
        # The questions are on a page of their own (steunen/evaluations.py).
        context["evaluation_due"] = True
        context["youth"] = case.asker_type in (AskerType.JONGERE, AskerType.KIND)
    elif (
        case.status == Status.AFGEROND
        and evaluation is not None
        and evaluation.is_unhappy
        and evaluation.reopen_wanted is None
    ):
        # Rated unhappy, but left before saying whether we should look again.
        context["look_again_due"] = True
        context["youth"] = case.asker_type in (AskerType.JONGERE, AskerType.KIND)
    return render(request, "steunen/conversation.html", context)


@never_cache
@require_POST
def leave_conversation(request: HttpRequest) -> HttpResponse:
    case = _asker_case(request)
    audience = _audience_of(case) if case is not None else ""
    _forget_case(request)
    if audience:
        messages.success(request, _("Je vraag is gesloten op dit apparaat. Bewaar je code goed."))
        return redirect(f"{reverse('steunen:return')}?voor={audience}")
    messages.success(request, _("Uw vraag is gesloten op dit apparaat. Bewaar uw code goed."))
    return redirect("steunen:return")


@never_cache
@require_safe
def download_conversation(request: HttpRequest) -> HttpResponse:
    case = _asker_case(request)
    if case is None:
        return redirect("steunen:return")
    actions.record_export(case=case)
    response = HttpResponse(
        actions.conversation_text(case), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-vraag.txt"'
    return response


@never_cache
@require_form_methods
def delete_conversation(request: HttpRequest) -> HttpResponse:
    """'Verwijder mijn vraag': after a confirmation, at once."""
    case = _asker_case(request)
    if case is None:
        return redirect("steunen:return")
    form = DeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.erase_personal_data(case=case, reason="op verzoek van de vrager")
        _forget_case(request)
        return render(request, "steunen/deleted.html")
    return render(request, "steunen/delete_confirm.html", {"form": form, "case": case})


@never_cache
@require_safe
def asker_attachment(request: HttpRequest, token: str) -> HttpResponse:
    case = _asker_case(request)
    if case is None:
        return redirect("steunen:return")
    found = get_object_or_404(Attachment, case=case, token=token)
    return attachments.download(found)
