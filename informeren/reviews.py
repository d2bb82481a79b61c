"""The monthly reminder to page owners: which of their pages are due for review.

A page is due when its review-by date falls before the end of the coming
month (or has passed). Each owner gets one mail with all their pages; a page
without an owner shows on the editors' dashboard only. The mail names pages
and dates, nothing of any visitor.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from informeren.models import Topic
from steunpunt.mail import mail_task, send_after_commit

# A month ahead: the next reminder comes before these dates have passed.
REMIND_DAYS_AHEAD = 31


def due_until(today: date) -> date:
    return today + timedelta(days=REMIND_DAYS_AHEAD)


def _due_for(owner_id: int, today: date) -> QuerySet[Topic]:
    return (
        Topic.objects.due_for_review(due_until(today))
        .filter(owner_id=owner_id)
        .order_by("review_by", "title")
        .only("pk", "title", "slug", "review_by")
    )


@task
def send_review_reminders() -> int:
    """Mail every active owner with an address whose pages are due. Runs monthly.

    Each mail is a task of its own, so a mail server that is down delays
    reminders but loses none. Returns the number of owners reminded.
    """
    today = timezone.localdate()
    owners = (
        Topic.objects.due_for_review(due_until(today))
        .filter(owner__is_active=True)
        .exclude(owner__email="")
        .values_list("owner_id", flat=True)
        .distinct()
    )
    sent = 0
    with transaction.atomic():
        for owner_id in sorted(set(owners)):
            send_after_commit(send_review_reminder, owner_id)
            sent += 1
    return sent


@mail_task
def send_review_reminder(owner_id: int) -> None:
    owner = get_user_model().objects.filter(pk=owner_id, is_active=True).first()
    today = timezone.localdate()
    topics = list(_due_for(owner_id, today)) if owner else []
    if owner is None or not owner.email or not topics:
        return  # handed over, checked or gone meanwhile
    base = settings.SITE_URL.rstrip("/")
    pages = [
        {
            "title": topic.title,
            "review_by": topic.review_by,
            # due_for_review() holds only pages with a review date
            "overdue": topic.review_by is not None and topic.review_by < today,
            "url": base + reverse("informeren:topic_admin", args=[topic.pk]),
        }
        for topic in topics
    ]
    context = {
        "name": owner.get_full_name() or owner.get_username(),
        "pages": pages,
        "steunpunt_name": settings.STEUNPUNT_NAME,
        "dashboard_url": base + reverse("informeren:redactie"),
    }
    count = len(pages)
    send_mail(
        subject=(
            "1 pagina om te controleren" if count == 1 else f"{count} pagina's om te controleren"
        ),
        message=render_to_string("informeren/email/review_reminder.txt", context),
        from_email=None,
        recipient_list=[owner.email],
    )
