"""Signals and board reports. signaleren reads the other pillars; it never writes into them."""

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from informeren.models import Samenwerkingsverband, Thema
from signaleren.periods import Period, PeriodError, PeriodKind


class Signal(models.Model):
    """A qualitative trend the coordinator sees in the questions, in general terms."""

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(
        _("beschrijving"),
        help_text=_(
            "In algemene woorden. Geen namen, scholen of details die een gezin herkenbaar maken."
        ),
    )
    themes = models.ManyToManyField(Thema, verbose_name=_("thema's"), blank=True)
    period_start = models.DateField(_("vanaf"))
    period_end = models.DateField(_("tot en met"))
    case_count = models.PositiveIntegerField(_("aantal vragen"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Staff may mark cases as examples; a report shows only the signal, never a case.
    example_cases = models.ManyToManyField("steunen.Case", blank=True, related_name="+")

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-period_end", "title"]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    PUBLISHED = "gepubliceerd", _("Gepubliceerd")


class ReportQuerySet(models.QuerySet["Report"]):
    def published(self) -> "ReportQuerySet":
        return self.filter(status=ReportStatus.PUBLISHED)


class Report(models.Model):
    """A periodic report for the SWV board, about one calendar period (see
    signaleren/periods.py). Once published it is frozen."""

    title = models.CharField(_("titel"), max_length=200)
    period_start = models.DateField(_("vanaf"))
    period_end = models.DateField(_("tot en met"))
    samenwerkingsverband = models.ForeignKey(
        Samenwerkingsverband,
        verbose_name=_("samenwerkingsverband"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leeg: alle samenwerkingsverbanden van het steunpunt."),
    )
    foreword = models.TextField(_("voorwoord"), blank=True)
    signals = models.ManyToManyField(Signal, verbose_name=_("signalen"), blank=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.CONCEPT
    )
    # Who last saved the composition (period, foreword, signals): empty for a
    # draft the scheduler made that nobody has edited yet.
    composed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgesteld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    # The published content exactly as it was published: figures after
    # suppression, the signals' texts. Never recomputed.
    frozen = models.JSONField(null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("signaleren:report", args=[self.pk])

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period is None:
            raise ValidationError(
                _(
                    "Een rapportage gaat over een kalenderperiode: een maand, kwartaal, "
                    "halfjaar, schooljaar of kalenderjaar."
                )
            )

    @property
    def period(self) -> Period | None:
        """The calendar period the report covers; None for other dates."""
        try:
            period = Period(self.period_start, self.period_end)
        except PeriodError:
            return None
        return period if period.kind else None

    @property
    def published_figures(self) -> dict[str, Any]:
        """The figures as they were published (``frozen``); empty for a draft."""
        return cast(dict[str, Any], self.frozen or {})

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class Measure(models.TextChoices):
    """What a goal is about: each one a figure the report already shows (see
    signaleren/goals.py for how each is read from the suppressed figures)."""

    QUESTIONS = "vragen", _("Aantal vragen ontvangen")
    WITHIN_PROMISE = "binnen_belofte", _("Eerste antwoord binnen de belofte (%)")
    FIRST_ANSWER_HOURS = "eerste_antwoord", _("Tijd tot eerste antwoord, mediaan (uren)")
    EVALUATION = "beoordeling", _("Gemiddelde beoordeling door vragers (1 tot 5)")
    REACH = "bereik", _("Bereik: vragen per 1.000 leerlingen")
    YOUTH_SHARE = "jongeren", _("Aandeel vragen van jongeren zelf (%)")


# Lower is better for these; for every other measure a goal is met at or above its target.
LOWER_IS_BETTER = {Measure.FIRST_ANSWER_HOURS}


class GoalQuerySet(models.QuerySet["Goal"]):
    def for_block(self, period: Period, swv_id: int | None) -> "GoalQuerySet":
        """The goals set for exactly this period and SWV (None: the whole steunpunt)."""
        goals = self.filter(period_start=period.start, period_end=period.end)
        if swv_id is None:
            return goals.filter(samenwerkingsverband__isnull=True)
        return goals.filter(samenwerkingsverband_id=swv_id)


class Goal(models.Model):
    """A goal the coordinator sets for a calendar period, with its criterion: a
    measure, a target value and why (the guideline's steps 5-8). A report about
    the same period and SWV shows it beside the measured figure."""

    period_start = models.DateField(_("vanaf"))
    period_end = models.DateField(_("tot en met"))
    samenwerkingsverband = models.ForeignKey(
        Samenwerkingsverband,
        verbose_name=_("samenwerkingsverband"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leeg: het hele steunpunt."),
    )
    measure = models.CharField(_("waar gaat het doel over"), max_length=20, choices=Measure.choices)
    gemeente = models.CharField(
        _("gemeente"),
        max_length=100,
        blank=True,
        help_text=_("Alleen bij bereik. Leeg: alle gemeenten samen."),
    )
    target = models.DecimalField(_("streefwaarde"), max_digits=7, decimal_places=1)
    explanation = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        # One goal per period, SWV, measure and gemeente: the form checks it (a unique
        # constraint would let two "whole steunpunt" goals through, as NULLs differ).
        ordering = ["-period_end", "samenwerkingsverband", "measure", "gemeente"]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.target}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    @property
    def lower_is_better(self) -> bool:
        return self.measure in LOWER_IS_BETTER


class AnnualSummary(models.Model):
    """The public annual summary (/jaarverslag/<year>/): the suppressed figures of a
    published calendar-year report in plain words. It exists only while published;
    taking it offline deletes it (the report itself stays as it is)."""

    report = models.OneToOneField(
        Report, verbose_name=_("rapportage"), on_delete=models.PROTECT, related_name="summary"
    )
    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    published_at = models.DateTimeField(_("gepubliceerd op"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("publiek jaaroverzicht")
        verbose_name_plural = _("publieke jaaroverzichten")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Jaaroverzicht {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("signaleren:annual_summary", args=[self.year])

    @staticmethod
    def can_come_from(report: Report) -> bool:
        period = report.period
        return report.is_published and period is not None and period.kind == PeriodKind.YEAR


# --- Signals go up: reports shared with the national hub (issue 26) -----------------


class ReportShare(models.Model):
    """One attempt of a region to share a published report's figures with the hub:
    when, by whom and what the hub answered. A report is shared once: at most one
    attempt per report succeeds; failed attempts stay as a record and may be retried."""

    report = models.ForeignKey(
        Report, verbose_name=_("rapportage"), on_delete=models.PROTECT, related_name="shares"
    )
    attempted_at = models.DateTimeField(_("moment"), auto_now_add=True)
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    succeeded = models.BooleanField(_("gelukt"), default=False)
    result = models.CharField(_("antwoord van het landelijk steunpunt"), max_length=300)

    class Meta:
        verbose_name = _("gedeelde rapportage")
        verbose_name_plural = _("gedeelde rapportages")
        ordering = ["-attempted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(succeeded=True),
                name="report_shared_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.result})"


class HubRegion(models.Model):
    """At the hub: a region that may share reports, with the public key it signs with."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    public_key = models.CharField(
        _("publieke sleutel"),
        max_length=64,
        help_text=_("De regio toont hem met: manage.py signing_public_key"),
    )
    active = models.BooleanField(_("actief"), default=True)
    registered_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SharedReport(models.Model):
    """At the hub: the suppressed figures one region shared of one published report,
    exactly as the region signed them. Never edited; one per region and report, and
    one per region and period (so no question is counted twice)."""

    region = models.ForeignKey(
        HubRegion, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="reports"
    )
    report_id = models.PositiveIntegerField(_("rapportage van de regio"))
    report_version = models.CharField(_("versie"), max_length=60)
    title = models.CharField(_("titel"), max_length=200)
    period_start = models.DateField(_("vanaf"))
    period_end = models.DateField(_("tot en met"))
    threshold = models.PositiveSmallIntegerField()
    tables = models.JSONField(editable=False)
    signature = models.CharField(max_length=120, editable=False)
    received_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("ontvangen rapportage")
        verbose_name_plural = _("ontvangen rapportages")
        ordering = ["-period_end", "region__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "report_id"], name="shared_report_once"),
            models.UniqueConstraint(
                fields=["region", "period_start", "period_end"], name="shared_period_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.title}"


class FetchedNationalPicture(models.Model):
    """In a region: the national picture as last fetched from the hub (one row), so a
    hub that is down shows the last one with its date."""

    document = models.JSONField(null=True, editable=False)
    fetched_at = models.DateTimeField(null=True)
    checked_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("landelijk beeld")
        verbose_name_plural = _("landelijk beeld")

    def __str__(self) -> str:
        return f"Landelijk beeld {self.fetched_at or '-'}"
