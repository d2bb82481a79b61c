"""The region the steunpunt serves: its SWVs, schools and organisations."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from steunpunt.crypto import EncryptedTextField, blind_index


class Sector(models.TextChoices):
    PO = "po", _("Primair onderwijs")
    VO = "vo", _("Voortgezet onderwijs")


class Samenwerkingsverband(models.Model):
    """A samenwerkingsverband passend onderwijs, e.g. "PO 99-01"."""

    code = models.CharField(
        _("registratiecode"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^(PO|VO) \d{2}-\d{2}$",
                _("Gebruik de vorm 'PO 12-34' of 'VO 12-34'."),
            )
        ],
    )
    name = models.CharField(_("naam"), max_length=200)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("samenwerkingsverband")
        verbose_name_plural = _("samenwerkingsverbanden")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SchoolType(models.TextChoices):
    BAO = "bao", _("Basisschool")
    SBO = "sbo", _("Speciaal basisonderwijs")
    SO = "so", _("Speciaal onderwijs")
    VO = "vo", _("Voortgezet onderwijs")
    VSO = "vso", _("Voortgezet speciaal onderwijs")
    PRO = "pro", _("Praktijkonderwijs")
    MBO = "mbo", _("Middelbaar beroepsonderwijs")


# The sector whose samenwerkingsverband a school type belongs to; mbo has none.
SECTOR_OF_SCHOOL_TYPE = {
    SchoolType.BAO: Sector.PO,
    SchoolType.SBO: Sector.PO,
    SchoolType.SO: Sector.PO,
    SchoolType.VO: Sector.VO,
    SchoolType.VSO: Sector.VO,
    SchoolType.PRO: Sector.VO,
}


class SwvGemeente(models.Model):
    """Which samenwerkingsverband a gemeente belongs to, per sector: a question
    with a gemeente and a school type gets its SWV even without a school."""

    gemeente = models.CharField(_("gemeente"), max_length=100)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    samenwerkingsverband = models.ForeignKey(
        Samenwerkingsverband,
        verbose_name=_("samenwerkingsverband"),
        on_delete=models.CASCADE,
        related_name="gemeenten",
    )

    class Meta:
        verbose_name = _("gemeente van een samenwerkingsverband")
        verbose_name_plural = _("gemeenten van de samenwerkingsverbanden")
        ordering = ["gemeente", "sector"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "sector"], name="swv_gemeente_per_sector")
        ]

    def __str__(self) -> str:
        return f"{self.gemeente} ({self.get_sector_display()}): {self.samenwerkingsverband.code}"

    @classmethod
    def swv_for(cls, gemeente: str, school_type: str) -> "Samenwerkingsverband | None":
        """The SWV of a gemeente for this school type; None where either is unknown."""
        known = school_type in SchoolType.values
        sector = SECTOR_OF_SCHOOL_TYPE.get(SchoolType(school_type)) if known else None
        if not gemeente or sector is None:
            return None
        found = (
            cls.objects.select_related("samenwerkingsverband")
            .filter(gemeente=gemeente, sector=sector)
            .first()
        )
        return found.samenwerkingsverband if found else None

    @classmethod
    def gemeenten(cls) -> list[str]:
        return list(cls.objects.order_by("gemeente").values_list("gemeente", flat=True).distinct())


class PupilCount(models.Model):
    """How many pupils go to school in a gemeente, per sector, on DUO's count date
    (1 October of `year`): from DUO's open data, for the reach figures of the board
    report (questions per 1,000 pupils). Imported with `import_pupil_counts`."""

    gemeente = models.CharField(_("gemeente"), max_length=100)
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices)
    year = models.PositiveSmallIntegerField(
        _("teljaar"), help_text=_("Het jaar van de telling op 1 oktober.")
    )
    pupils = models.PositiveIntegerField(_("aantal leerlingen"))

    class Meta:
        verbose_name = _("aantal leerlingen in een gemeente")
        verbose_name_plural = _("aantallen leerlingen per gemeente")
        ordering = ["-year", "gemeente", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "sector", "year"], name="pupil_count_per_gemeente_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gemeente} {self.get_sector_display()} {self.year}: {self.pupils}"


class SchoolQuerySet(models.QuerySet["School"]):
    def as_options(self) -> "models.QuerySet[School, tuple[int, str, str, str]]":
        """(pk, name, place, gemeente) of each school, by gemeente and name: what a
        select of schools grouped by gemeente shows."""
        return self.order_by("gemeente", "name").values_list("pk", "name", "place", "gemeente")

    def offering(self, supports: Iterable["Ondersteuningsvorm"]) -> "SchoolQuerySet":
        """Schools that offer every one of ``supports``."""
        qs = self
        for support in supports:
            qs = qs.filter(support=support)
        return qs


class Accessibility(models.TextChoices):
    LIFT = "lift", _("Lift")
    TOILET = "aangepast_toilet", _("Aangepast toilet")
    ROLSTOEL = "rolstoel", _("Rolstoeltoegankelijk")


ACCESSIBILITY_FIELDS = {
    Accessibility.LIFT: "has_lift",
    Accessibility.TOILET: "has_adapted_toilet",
    Accessibility.ROLSTOEL: "wheelchair_accessible",
}


class School(models.Model):
    """One school location (vestiging), identified by BRIN and vestiging code."""

    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(
        _("BRIN"),
        max_length=4,
        validators=[
            RegexValidator(r"^\d{2}[A-Z]{2}$", _("Een BRIN is twee cijfers en twee letters."))
        ],
    )
    vestiging = models.CharField(
        _("vestigingscode"),
        max_length=2,
        default="00",
        validators=[RegexValidator(r"^\d{2}$", _("Een vestigingscode is twee cijfers."))],
    )
    school_type = models.CharField(_("soort school"), max_length=3, choices=SchoolType.choices)
    street = models.CharField(_("straat en huisnummer"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    place = models.CharField(_("plaats"), max_length=100)
    gemeente = models.CharField(_("gemeente"), max_length=100)
    samenwerkingsverband = models.ForeignKey(
        Samenwerkingsverband,
        verbose_name=_("samenwerkingsverband"),
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    # The school's extra support as its schoolgids describes it (the stand-alone
    # schoolondersteuningsprofiel is gone), kept by editors; an import never touches it.
    # The through model is Django's own (School_support).
    support: "models.ManyToManyField[Ondersteuningsvorm, Any]" = models.ManyToManyField(
        "Ondersteuningsvorm",
        verbose_name=_("extra ondersteuning"),
        blank=True,
        related_name="schools",
    )
    profile_summary = models.TextField(_("korte beschrijving van de ondersteuning"), blank=True)
    has_lift = models.BooleanField(_("lift"), default=False)
    has_adapted_toilet = models.BooleanField(_("aangepast toilet"), default=False)
    wheelchair_accessible = models.BooleanField(_("rolstoeltoegankelijk"), default=False)
    profile_url = models.URLField(
        _("schoolgids (of de pagina over extra ondersteuning)"), blank=True
    )
    profile_checked_at = models.DateField(
        _("ondersteuning gecontroleerd op"), null=True, blank=True
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["brin", "vestiging"], name="school_unique_brin_vestiging"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.place})"

    def get_absolute_url(self) -> str:
        return reverse("informeren:school", args=[self.pk])

    def accessibility_labels(self) -> list[str]:
        return [str(a.label) for a in Accessibility if getattr(self, ACCESSIBILITY_FIELDS[a])]


class OrganisatieSoort(models.TextChoices):
    ONDERWIJSCONSULENT = "onderwijsconsulent", _("Onderwijsconsulenten")
    LEERPLICHT = "leerplicht", _("Leerplicht")
    WIJKTEAM = "wijkteam", _("Wijkteam en jeugdhulp")
    OUDERORGANISATIE = "ouderorganisatie", _("Ouderorganisatie")
    JONGERENORGANISATIE = "jongerenorganisatie", _("Jongerenorganisatie")
    KLACHTEN = "klachten", _("Klachten en geschillen")
    JURIDISCH = "juridisch", _("Juridisch advies")
    ONDERWIJS = "onderwijs", _("Onderwijs en samenwerkingsverband")


class Organisatie(models.Model):
    """Someone else who can help (the sociale kaart)."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    soort = models.CharField(_("soort"), max_length=30, choices=OrganisatieSoort.choices)
    summary = models.TextField(_("wat doen zij?"))
    when_to_go = models.TextField(_("wanneer ga je erheen?"), blank=True)
    national = models.BooleanField(_("landelijk"), default=False)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    for_whom = models.CharField(_("voor wie?"), max_length=200, blank=True)
    address = models.TextField(_("adres"), max_length=300, blank=True)
    opening_hours = models.TextField(_("openingstijden"), max_length=500, blank=True)
    # Came from the national hub's feed (set when a change staged by the pull is
    # published): with a hub configured its national content is read-only here,
    # unless a change records a regionale afwijking (informeren/changes.py).
    from_hub = models.BooleanField(_("uit de landelijke set"), default=False)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("informeren:organisatie", args=[self.pk])


class Thema(models.Model):
    """A theme that groups information and classifies questions (e.g. "Aanmelden")."""

    slug = models.SlugField(_("korte naam"), unique=True)
    name = models.CharField(_("naam"), max_length=100)
    youth_name = models.CharField(
        _("naam voor jongeren"), max_length=100, blank=True, help_text=_("Eenvoudiger woorden.")
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language: the reference themes' names are in the
        catalogues (informeren/reference.py); a name an editor gave stays as written."""
        return gettext(self.name)

    @property
    def youth_label(self) -> str:
        return gettext(self.youth_name) if self.youth_name else self.label


class TopicQuerySet(models.QuerySet["Topic"]):
    def published(self) -> "TopicQuerySet":
        return self.filter(published_revision__isnull=False)

    def overdue(self, today: date) -> "TopicQuerySet":
        """Published pages whose review-by date has passed."""
        return self.published().filter(review_by__lt=today)

    def due_for_review(self, until: date) -> "TopicQuerySet":
        """Published pages to be checked on or before ``until`` (overdue ones too)."""
        return self.published().filter(review_by__lte=until)


class Topic(models.Model):
    """An information page ("onderwerp"): a national text plus a regional supplement.

    The content lives in revisions; the public sees only the published one.
    Title, summary and search text are copied here when a revision is
    published, so listings and search never need to join the revisions.
    """

    slug = models.SlugField(_("adres (slug)"), unique=True, max_length=80)
    themes = models.ManyToManyField(
        Thema, verbose_name=_("thema's"), related_name="topics", blank=True
    )
    related = models.ManyToManyField("self", verbose_name=_("zie ook"), blank=True)
    organisaties = models.ManyToManyField(
        Organisatie, verbose_name=_("organisaties"), related_name="topics", blank=True
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    published_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("gepubliceerde versie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_by = models.DateField(_("opnieuw controleren voor"), null=True, blank=True)
    # Set when a version is published and when an editor checks the page is
    # still correct without changing it (TopicCheck): shown as "Gecontroleerd op".
    checked_at = models.DateTimeField(_("laatst gecontroleerd"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar van de pagina"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_topics",
        help_text=_("Krijgt elke maand een herinnering als de pagina gecontroleerd moet worden."),
    )
    title = models.CharField(_("titel"), max_length=200, blank=True)
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = TopicQuerySet.as_manager()

    # Not fields: set on the pages a list shows in the reader's language
    # (informeren/views.py, _in_page_language) ...
    shown_title: str
    shown_summary: str
    shown_lang: str
    # ... and on the redactie's pages, each language's translation state
    # (informeren/redactie.py, _with_translation_states).
    translation_states: list[dict[str, Any]]

    class Meta:
        verbose_name = _("onderwerp")
        verbose_name_plural = _("onderwerpen")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse("informeren:topic", args=[self.slug])


class RevisionStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    TER_BEOORDELING = "ter_beoordeling", _("Ter beoordeling")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    GEPUBLICEERD = "gepubliceerd", _("Gepubliceerd")
    AFGEKEURD = "afgekeurd", _("Afgekeurd")
    VERVANGEN = "vervangen", _("Eerder gepubliceerd")


class RevisionOrigin(models.TextChoices):
    REDACTIE = "redactie", _("Redactie")
    IMPORT = "import", _("Landelijke set")
    TERUGZETTEN = "terugzetten", _("Teruggezet")


class FourEyesError(Exception):
    """A validator tried to approve or reject a text they wrote part of."""


class WorkflowError(Exception):
    """A step that does not fit the text's status."""


class BelowB1Error(WorkflowError):
    """A text below B1 was approved without the validator saying why."""


# The one state machine of every public text (page versions, glossary,
# checklists, organisations, experience stories): which status may follow which.
ALLOWED_STEPS: dict[str, set[str]] = {
    RevisionStatus.CONCEPT: {RevisionStatus.CONCEPT, RevisionStatus.TER_BEOORDELING},
    RevisionStatus.AFGEKEURD: {RevisionStatus.CONCEPT, RevisionStatus.TER_BEOORDELING},
    RevisionStatus.TER_BEOORDELING: {RevisionStatus.GOEDGEKEURD, RevisionStatus.AFGEKEURD},
    RevisionStatus.GOEDGEKEURD: {RevisionStatus.GEPUBLICEERD},
    RevisionStatus.GEPUBLICEERD: {RevisionStatus.VERVANGEN},
    RevisionStatus.VERVANGEN: set(),
}


# A score says little about a text of a sentence or two (one long word makes
# "Zie hieronder." hard): shorter texts are judged on long sentences only.
B1_MIN_WORDS = 20


def below_b1(texts: dict[str, str]) -> list[str]:
    """The labels of the texts that are not at B1: Flesch-Douma under 60 or a long sentence."""
    from informeren.rendering import readability  # rendering imports nothing from here

    found = []
    for label, text in texts.items():
        if text and text.strip():
            score = readability(text)
            too_hard = score.words >= B1_MIN_WORDS and not score.meets_b1
            if too_hard or score.long_sentences:
                found.append(label)
    return found


def next_number(versions: models.QuerySet[Any]) -> int:
    """The number a new version takes: one more than the highest among ``versions``
    (a topic's revisions, or its translations into one language)."""
    return int(versions.aggregate(n=models.Max("number"))["n"] or 0) + 1


class FourEyes(models.Model):
    """A public text under four eyes: written by one person, approved by another.

    The statuses and the moves between them are ALLOWED_STEPS; every step
    goes through ``_move``. Subclasses name their editors (``editors``) and
    the texts whose readability counts (``readability_texts``).
    """

    # Subclasses add ``editors``: everyone who wrote any of this text, the
    # author who opened it and every later editor. None of them may approve
    # or reject it (four eyes).
    editors: "models.ManyToManyField[User, Any]"

    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.CONCEPT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gemaakt"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    submitted_at = models.DateTimeField(_("ingediend"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordelaar"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("beoordeeld"), null=True, blank=True)
    rejection_reason = models.TextField(_("reden van afkeuren"), blank=True)
    # Why a text below B1 was approved all the same (the validator's words).
    b1_reason = models.TextField(_("waarom toch onder B1"), blank=True)
    published_at = models.DateTimeField(_("gepubliceerd"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gepubliceerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in (RevisionStatus.CONCEPT, RevisionStatus.AFGEKEURD)

    def has_edited(self, user: User) -> bool:
        """Whether ``user`` opened or edited this text."""
        return user.pk == self.author_id or self.editors.filter(pk=user.pk).exists()

    def readability_texts(self) -> dict[str, str]:
        """Label: text, for every text a reader sees (checked for B1 on approval)."""
        return {}

    def below_b1(self) -> list[str]:
        return below_b1(self.readability_texts())

    def _move(self, to: str, message: StrOrPromise) -> None:
        if to not in ALLOWED_STEPS[self.status]:
            raise WorkflowError(message)
        self.status = to

    def submit(self, *, by: User) -> None:
        self._move(RevisionStatus.TER_BEOORDELING, _("Alleen een concept kan ter beoordeling."))
        self.submitted_at = timezone.now()
        self.rejection_reason = ""
        self.save(update_fields=["status", "submitted_at", "rejection_reason", "updated_at"])

    def _check_four_eyes(self, by: User) -> None:
        if self.has_edited(by):
            raise FourEyesError(
                _(
                    "U heeft aan deze versie meegeschreven. Daarom mag u hem niet "
                    "goedkeuren of afkeuren. Een andere validator moet meelezen."
                )
            )

    def approve(self, *, by: User, b1_reason: str = "") -> None:
        """Four eyes: the validator must be someone who wrote none of it.

        A text below B1 is approved only with the validator's reason
        (BelowB1Error without one); the reason stays in the history.
        """
        if self.status != RevisionStatus.TER_BEOORDELING:
            raise WorkflowError(
                _("Alleen een versie die ter beoordeling ligt, kan worden goedgekeurd.")
            )
        self._check_four_eyes(by)
        b1_reason = b1_reason.strip()
        below = self.below_b1()
        if below and not b1_reason:
            raise BelowB1Error(
                _(
                    "Deze tekst is niet op B1-niveau (%(texts)s). Schrijf op waarom hij toch "
                    "gepubliceerd mag worden."
                )
                % {"texts": ", ".join(str(label) for label in below)}
            )
        self._move(RevisionStatus.GOEDGEKEURD, _("Deze versie kan niet worden goedgekeurd."))
        self.reviewer = by
        self.reviewed_at = timezone.now()
        self.b1_reason = b1_reason if below else ""
        self.save(update_fields=["status", "reviewer", "reviewed_at", "b1_reason", "updated_at"])

    def reject(self, *, by: User, reason: str) -> None:
        if self.status != RevisionStatus.TER_BEOORDELING:
            raise WorkflowError(
                _("Alleen een versie die ter beoordeling ligt, kan worden afgekeurd.")
            )
        self._check_four_eyes(by)
        self._move(RevisionStatus.AFGEKEURD, _("Deze versie kan niet worden afgekeurd."))
        self.reviewer = by
        self.reviewed_at = timezone.now()
        self.rejection_reason = reason
        self.save(
            update_fields=["status", "reviewer", "reviewed_at", "rejection_reason", "updated_at"]
        )

    def mark_published(self, *, by: User) -> None:
        """The public step itself; the action that calls it also updates what shows it."""
        self._move(
            RevisionStatus.GEPUBLICEERD,
            _("Alleen een goedgekeurde versie kan worden gepubliceerd."),
        )
        self.published_at = timezone.now()
        self.published_by = by
        self.save(update_fields=["status", "published_at", "published_by", "updated_at"])


class Revision(FourEyes):
    """One version of a topic's texts. Changes go through review before publishing."""

    NATIONAL_FIELDS = (
        "title",
        "summary",
        "title_jongeren",
        "summary_jongeren",
        "title_kinderen",
        "summary_kinderen",
        "national_ouders",
        "national_jongeren",
        "national_kinderen",
        "sources",
        "phrasings",
    )
    REGIONAL_FIELDS = ("regional_ouders", "regional_jongeren", "regional_kinderen")
    CONTENT_FIELDS = NATIONAL_FIELDS + REGIONAL_FIELDS
    READ_FIELDS = {
        "national_ouders": _("landelijk, ouders"),
        "regional_ouders": _("regio, ouders"),
        "national_jongeren": _("landelijk, jongeren"),
        "regional_jongeren": _("regio, jongeren"),
        "national_kinderen": _("landelijk, kinderen"),
        "regional_kinderen": _("regio, kinderen"),
    }

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("versie"))
    origin = models.CharField(
        _("herkomst"),
        max_length=20,
        choices=RevisionOrigin.choices,
        default=RevisionOrigin.REDACTIE,
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("gebaseerd op"), on_delete=models.SET_NULL, null=True, blank=True
    )

    title = models.CharField(_("titel"), max_length=200)
    summary = models.CharField(
        _("samenvatting"),
        max_length=300,
        help_text=_("Eén of twee zinnen. Staat in lijsten en zoekresultaten."),
    )
    # A youth's or child's page speaks to them from its first word: its own
    # title and lead (empty: the text for that audience is not written yet).
    title_jongeren = models.CharField(_("titel voor jongeren"), max_length=200, blank=True)
    summary_jongeren = models.CharField(_("samenvatting voor jongeren"), max_length=300, blank=True)
    title_kinderen = models.CharField(_("titel voor kinderen"), max_length=200, blank=True)
    summary_kinderen = models.CharField(_("samenvatting voor kinderen"), max_length=300, blank=True)
    national_ouders = models.TextField(_("landelijke tekst voor ouders"))
    national_jongeren = models.TextField(_("landelijke tekst voor jongeren (12+)"), blank=True)
    national_kinderen = models.TextField(_("landelijke tekst voor kinderen (tot 12)"), blank=True)
    regional_ouders = models.TextField(_("zo werkt het in onze regio (ouders)"), blank=True)
    regional_jongeren = models.TextField(_("zo werkt het in onze regio (jongeren)"), blank=True)
    regional_kinderen = models.TextField(_("zo werkt het in onze regio (kinderen)"), blank=True)
    # How people put it: the words parents, youths and children type, old ones
    # too ("rugzakje"). Searched, never shown; checked under four eyes like the text.
    phrasings = models.TextField(
        _("zo zeggen mensen het"),
        blank=True,
        help_text=_(
            "Eén per regel: woorden en zinnen waarmee mensen hiernaar zoeken, ook oude "
            "woorden. Bijvoorbeeld: mijn kind zit thuis | rugzakje"
        ),
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewerkt door"),
        blank=True,
        related_name="edited_revisions",
    )
    sources = models.TextField(
        _("bronnen"),
        blank=True,
        help_text=_(
            "Eén bron per regel: naam | adres. Bijvoorbeeld: "
            "Wet op het primair onderwijs, artikel 40 | https://wetten.overheid.nl"
        ),
    )

    # Where a national text came from (issue 26): the hub's version of the topic and the
    # day the hub published it, set on versions staged from the national feed and kept
    # by the versions after them while the national part stays as it came.
    national_number = models.PositiveIntegerField(_("landelijke versie"), null=True, blank=True)
    national_published_at = models.DateTimeField(_("landelijk gepubliceerd"), null=True, blank=True)
    feed_version = models.PositiveIntegerField(_("uit landelijke feed"), null=True, blank=True)
    # Why this region departs from the national text (required to change it when a hub
    # is configured); kept in the history.
    deviation_reason = models.TextField(_("reden van regionale afwijking"), blank=True)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        ordering = ["topic", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.number})"

    def content(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    def readability_texts(self) -> dict[str, str]:
        return {str(label): getattr(self, name) for name, label in self.READ_FIELDS.items()}

    def edit(self, *, by: User, content: dict[str, str]) -> None:
        """Change the texts of a concept (or a rejected version) and name ``by`` as an editor.

        A rejected version that is edited becomes a concept again.
        """
        if not self.is_editable:
            raise WorkflowError(_("Deze versie is niet meer te wijzigen. Maak een nieuwe versie."))
        unknown = set(content) - set(self.CONTENT_FIELDS)
        if unknown:
            raise ValueError(f"not content fields: {', '.join(sorted(unknown))}")
        for name, value in content.items():
            setattr(self, name, value)
        self._move(RevisionStatus.CONCEPT, _("Deze versie is niet meer te wijzigen."))
        self.save(update_fields=[*content, "status", "updated_at"])
        self.editors.add(by)

    def audiences(self) -> list[str]:
        """Which audience variants this revision has, ouders always first."""
        found = ["ouders"]
        for audience in ("jongeren", "kinderen"):
            if getattr(self, f"national_{audience}") or getattr(self, f"regional_{audience}"):
                found.append(audience)
        return found

    def heading_for(self, audience: str) -> tuple[str, str]:
        """The title and lead the page shows to ``audience`` (the parents' if not written)."""
        if audience in ("jongeren", "kinderen"):
            title = getattr(self, f"title_{audience}")
            if title:
                return title, getattr(self, f"summary_{audience}")
        return self.title, self.summary

    def source_list(self) -> list[tuple[str, str]]:
        """Sources as (name, url); a line without a valid http(s) address has no link."""
        result = []
        for line in self.sources.splitlines():
            if not line.strip():
                continue
            name, _sep, url = (part.strip() for part in line.partition("|"))
            if not url.startswith(("https://", "http://")):
                url = ""
            result.append((name or url, url))
        return result


# The languages a topic text can be translated into: every public language but Dutch.
TRANSLATION_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "nl"]


class TranslationQuerySet(models.QuerySet["Translation"]):
    def published(self) -> "TranslationQuerySet":
        return self.filter(status=RevisionStatus.GEPUBLICEERD)

    def open(self) -> "TranslationQuerySet":
        """Still on its way: a concept, rejected, under review or approved."""
        return self.exclude(status__in=[RevisionStatus.GEPUBLICEERD, RevisionStatus.VERVANGEN])


class Translation(FourEyes):
    """A topic's texts in another language: a version of its own, under four eyes.

    It follows one published Dutch revision (``source``). When a newer Dutch
    revision is published the translation is outdated (``is_outdated``): the
    page still shows it, saying the Dutch text has changed since. One
    published translation per topic and language at a time.
    """

    AUDIENCE_FIELDS = {
        "ouders": ("title", "summary", "national_ouders", "regional_ouders"),
        "jongeren": (
            "title_jongeren",
            "summary_jongeren",
            "national_jongeren",
            "regional_jongeren",
        ),
        "kinderen": (
            "title_kinderen",
            "summary_kinderen",
            "national_kinderen",
            "regional_kinderen",
        ),
    }
    CONTENT_FIELDS = tuple(name for names in AUDIENCE_FIELDS.values() for name in names)

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("taal"), max_length=5, choices=TRANSLATION_LANGUAGES)
    number = models.PositiveIntegerField(_("versie"))
    source = models.ForeignKey(
        Revision,
        verbose_name=_("vertaling van versie"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("gebaseerd op"), on_delete=models.SET_NULL, null=True, blank=True
    )
    title = models.CharField(_("titel"), max_length=200)
    summary = models.CharField(_("samenvatting"), max_length=300)
    title_jongeren = models.CharField(_("titel voor jongeren"), max_length=200, blank=True)
    summary_jongeren = models.CharField(_("samenvatting voor jongeren"), max_length=300, blank=True)
    title_kinderen = models.CharField(_("titel voor kinderen"), max_length=200, blank=True)
    summary_kinderen = models.CharField(_("samenvatting voor kinderen"), max_length=300, blank=True)
    national_ouders = models.TextField(_("landelijke tekst voor ouders"))
    national_jongeren = models.TextField(_("landelijke tekst voor jongeren (12+)"), blank=True)
    national_kinderen = models.TextField(_("landelijke tekst voor kinderen (tot 12)"), blank=True)
    regional_ouders = models.TextField(_("zo werkt het in onze regio (ouders)"), blank=True)
    regional_jongeren = models.TextField(_("zo werkt het in onze regio (jongeren)"), blank=True)
    regional_kinderen = models.TextField(_("zo werkt het in onze regio (kinderen)"), blank=True)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewerkt door"),
        blank=True,
        related_name="edited_translations",
    )

    objects = TranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vertaling")
        verbose_name_plural = _("vertalingen")
        ordering = ["topic", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language", "number"], name="translation_unique_number"
            ),
            models.UniqueConstraint(
                fields=["topic", "language"],
                condition=models.Q(status="gepubliceerd"),
                name="translation_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language}, versie {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("informeren:translation", args=[self.pk])

    def content(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    # Readability scores are Dutch (Flesch-Douma): a translation is judged by its
    # validator, who reads it next to the Dutch text (readability_texts stays empty).

    @property
    def is_outdated(self) -> bool:
        """A newer Dutch text than the one this follows is published."""
        published = self.topic.published_revision_id
        return published is not None and published != self.source_id

    def has_audience(self, audience: str) -> bool:
        if audience == "ouders":
            return bool(self.national_ouders)
        return bool(getattr(self, f"national_{audience}") or getattr(self, f"regional_{audience}"))

    def audiences(self) -> list[str]:
        return [a for a in self.AUDIENCE_FIELDS if self.has_audience(a)]

    def heading_for(self, audience: str) -> tuple[str, str]:
        if audience in ("jongeren", "kinderen"):
            title = getattr(self, f"title_{audience}")
            if title:
                return title, getattr(self, f"summary_{audience}")
        return self.title, self.summary

    def edit(self, *, by: User, content: dict[str, str]) -> None:
        """Change the texts of a concept (or a rejected translation) and name ``by`` an editor."""
        if not self.is_editable:
            raise WorkflowError(
                _("Deze vertaling is niet meer te wijzigen. Maak een nieuwe vertaling.")
            )
        unknown = set(content) - set(self.CONTENT_FIELDS)
        if unknown:
            raise ValueError(f"not content fields: {', '.join(sorted(unknown))}")
        for name, value in content.items():
            setattr(self, name, value)
        self._move(RevisionStatus.CONCEPT, _("Deze vertaling is niet meer te wijzigen."))
        self.save(update_fields=[*content, "status", "updated_at"])
        self.editors.add(by)


class Begrip(models.Model):
    """A glossary term with a short plain explanation."""

    term = models.CharField(_("begrip"), max_length=100, unique=True)
    slug = models.SlugField(_("adres (slug)"), unique=True, max_length=100)
    explanation = models.TextField(_("uitleg"), max_length=600)
    also_matches = models.CharField(
        _("andere vormen"),
        max_length=200,
        blank=True,
        help_text=_("Met komma's, bijvoorbeeld: OPP, ontwikkelingsperspectieven"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Came from the national hub's feed (set when a change staged by the pull is
    # published): with a hub configured its national content is read-only here,
    # unless a change records a regionale afwijking (informeren/changes.py).
    from_hub = models.BooleanField(_("uit de landelijke set"), default=False)

    class Meta:
        verbose_name = _("begrip")
        verbose_name_plural = _("begrippen")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def forms(self) -> list[str]:
        return [self.term, *[f.strip() for f in self.also_matches.split(",") if f.strip()]]


class Ondersteuningsvorm(models.Model):
    """A kind of support a school may offer beyond basisondersteuning."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("naam"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("vorm van ondersteuning")
        verbose_name_plural = _("vormen van ondersteuning")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    THEMA = "thema", _("Themabijeenkomst")
    LOTGENOTEN = "lotgenoten", _("Lotgenotencontact")
    INFOAVOND = "informatieavond", _("Informatieavond")


class MeetingAudience(models.TextChoices):
    OUDERS = "ouders", _("Ouders en verzorgers")
    JONGEREN = "jongeren", _("Jongeren")
    IEDEREEN = "iedereen", _("Iedereen")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def upcoming(self, now: datetime) -> "MeetingQuerySet":
        return self.filter(published=True, starts_at__gte=now).order_by("starts_at")


class Meeting(models.Model):
    """A themabijeenkomst, lotgenotencontact or information evening."""

    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=MeetingKind.choices)
    audience = models.CharField(
        _("voor wie"),
        max_length=10,
        choices=MeetingAudience.choices,
        default=MeetingAudience.OUDERS,
    )
    description = models.TextField(_("beschrijving"))
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"))
    published = models.BooleanField(_("gepubliceerd"), default=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("informeren:meeting", args=[self.pk])


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "aangemeld", _("Aangemeld")
    WAITING = "wachtlijst", _("Wachtlijst")
    CANCELLED = "afgemeld", _("Afgemeld")


class Registration(models.Model):
    """A sign-up for a meeting, with the least data: a name or initials and an email.

    Name and email are encrypted at rest (steunpunt/crypto.py); ``email_hash``,
    a keyed hash of the email under this meeting, keeps one sign-up per email
    per meeting without the email (and links no one across meetings). The
    cancel link's token is stored only as a hash.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    name = EncryptedTextField(_("naam of initialen"))
    email = EncryptedTextField(_("e-mailadres"))
    email_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email_hash"],
                condition=~models.Q(status="afgemeld") & ~models.Q(email_hash=""),
                name="registration_once_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @staticmethod
    def email_index(meeting_id: int, email: str) -> str:
        """The keyed hash of an (already normalised) email for one meeting."""
        return blind_index(email, purpose=f"registration-email:{meeting_id}")


class Checklist(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("inleiding"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Came from the national hub's feed (set when a change staged by the pull is
    # published): with a hub configured its national content is read-only here,
    # unless a change records a regionale afwijking (informeren/changes.py).
    from_hub = models.BooleanField(_("uit de landelijke set"), default=False)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("informeren:checklist", args=[self.slug])


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("tekst"), max_length=300)
    topic = models.ForeignKey(
        Topic, verbose_name=_("meer informatie"), on_delete=models.SET_NULL, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("punt op de checklist")
        verbose_name_plural = _("punten op de checklist")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ReadKind(models.TextChoices):
    TOPIC = "topic", _("Informatiepagina")
    SCHOOL = "school", _("School")
    ORGANISATIE = "organisatie", _("Organisatie")
    WEGWIJZER = "wegwijzer", _("Uitkomst van de wegwijzer")


class DailyReads(models.Model):
    """How often a page was read on a day. No reader is identified in any way."""

    kind = models.CharField(max_length=12, choices=ReadKind.choices)
    object_id = models.PositiveIntegerField()
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "day"], name="daily_reads_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.day}: {self.count}"


class Feedback(models.Model):
    """An answer to "Heeft deze informatie u geholpen?", with an optional short remark."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    # A visitor's free text may name a child or a school: encrypted at rest.
    remark = EncryptedTextField(blank=True)
    day = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{'ja' if self.helpful else 'nee'} {self.day}"


class Synonym(models.Model):
    """Words the search treats as one ("rugzakje" for "extra ondersteuning").

    Kept by the redactie: a national set (shared with other regions) and
    regional additions.
    """

    word = models.CharField(_("woord"), max_length=60, unique=True)
    alternatives = models.CharField(
        _("betekent hetzelfde als"),
        max_length=300,
        help_text=_("Gescheiden door komma's. Bijvoorbeeld: leerlingenvervoer, busje, taxi"),
    )
    national = models.BooleanField(_("landelijk"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synoniem")
        verbose_name_plural = _("synoniemen")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word

    def alternative_list(self) -> list[str]:
        return [a.strip().lower() for a in self.alternatives.split(",") if a.strip()]


class SearchCount(models.Model):
    """How often a query was searched in a month, found nothing, or was followed by a question.

    Counted like page reads: no cookie, no address, nothing that ties a query
    to a visitor. Only short, normalised queries are kept, and editors see a
    query only once enough people searched it (informeren/searchlog.py).
    """

    month = models.DateField()  # the first day of the month
    query = models.CharField(max_length=100)
    searches = models.PositiveIntegerField(default=0)
    without_result = models.PositiveIntegerField(default=0)
    asked_after = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "query"], name="search_count_unique")
        ]
        indexes = [models.Index(fields=["month", "-searches"], name="search_count_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.query}: {self.searches}"


# --- The wegwijzer -------------------------------------------------------------------


class WegwijzerAudience(models.TextChoices):
    """Who uses the wegwijzer; the values are the question form's asker types."""

    OUDER = "ouder", _("Ouder of verzorger")
    JONGERE = "jongere", _("Jongere (12 jaar of ouder)")
    KIND = "kind", _("Kind (jonger dan 12)")


class WegwijzerSituation(models.TextChoices):
    SCHOOL = "school", _("Op zoek naar een school")
    NIET_GOED = "niet-goed", _("Het gaat niet goed op school")
    THUIS = "thuis", _("Thuis, zonder school")
    ONEENS = "oneens", _("Het oneens met de school")
    ANDERS = "anders", _("Iets anders")


class WegwijzerRoute(models.Model):
    """What the wegwijzer shows for one audience and situation (optionally one school type).

    Kept by the redactie. The topics are shown in this order, each in the
    audience's variant where the topic has one; an unpublished topic is left
    out. Without a route the wegwijzer falls back on the topics of the
    situation's theme (informeren/wegwijzer.py).
    """

    audience = models.CharField(_("voor wie"), max_length=10, choices=WegwijzerAudience.choices)
    situation = models.CharField(
        _("wat is er aan de hand?"), max_length=10, choices=WegwijzerSituation.choices
    )
    school_type = models.CharField(
        _("soort school"),
        max_length=3,
        choices=SchoolType.choices,
        blank=True,
        help_text=_("Leeg laten: voor elke soort school."),
    )
    intro = models.TextField(
        _("korte inleiding"),
        max_length=400,
        blank=True,
        help_text=_(
            "Eén of twee zinnen boven de pagina's. Schrijf 'u' voor ouders en 'je' voor "
            "jongeren en kinderen."
        ),
    )
    first_topic = models.ForeignKey(
        Topic, verbose_name=_("eerste pagina"), on_delete=models.PROTECT, related_name="+"
    )
    second_topic = models.ForeignKey(
        Topic, verbose_name=_("tweede pagina"), on_delete=models.PROTECT, related_name="+"
    )
    third_topic = models.ForeignKey(
        Topic,
        verbose_name=_("derde pagina"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    thema = models.ForeignKey(
        Thema,
        verbose_name=_("thema van de vraag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Staat al aangevinkt als iemand daarna een vraag stelt."),
    )
    organisaties = models.ManyToManyField(
        Organisatie,
        verbose_name=_("organisaties"),
        blank=True,
        related_name="+",
        help_text=_(
            "Naast de organisaties bij de pagina's. Een organisatie die niet landelijk werkt, "
            "staat er alleen als zij werkt in de gemeente die de bezoeker kiest."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("route in de wegwijzer")
        verbose_name_plural = _("routes in de wegwijzer")
        ordering = ["audience", "situation", "school_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "situation", "school_type"], name="wegwijzer_route_unique"
            )
        ]

    def __str__(self) -> str:
        parts = [self.get_audience_display(), self.get_situation_display()]
        if self.school_type:
            parts.append(self.get_school_type_display())
        return " · ".join(str(part) for part in parts)

    def topic_ids(self) -> list[int]:
        return [pk for pk in (self.first_topic_id, self.second_topic_id, self.third_topic_id) if pk]


class Werkgebied(models.Model):
    """A gemeente a regional organisation works in. None at all: the whole region."""

    organisatie = models.ForeignKey(
        Organisatie, on_delete=models.CASCADE, related_name="werkgebied"
    )
    gemeente = models.CharField(_("gemeente"), max_length=100)

    class Meta:
        verbose_name = _("werkgebied")
        verbose_name_plural = _("werkgebieden")
        ordering = ["organisatie", "gemeente"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "gemeente"], name="werkgebied_unique_gemeente"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisatie}: {self.gemeente}"


class TopicCheck(models.Model):
    """ "Nog steeds juist, vandaag gecontroleerd": a review that needed no new text."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="checks")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gecontroleerd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("gecontroleerd"), default=timezone.now)
    note = models.CharField(_("opmerking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("controle zonder wijziging")
        verbose_name_plural = _("controles zonder wijziging")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.topic} {self.checked_at:%Y-%m-%d}"


# --- Experience stories ------------------------------------------------------------


class Verteller(models.TextChoices):
    OUDER = "ouder", _("Ervaring van een ouder")
    JONGERE = "jongere", _("Ervaring van een jongere")


class ErvaringQuerySet(models.QuerySet["Ervaring"]):
    def published(self) -> "ErvaringQuerySet":
        return self.filter(published=True)


class Ervaring(models.Model):
    """A parent's or youth's own story, anonymised, as the public reads it.

    Only what may be public lives here: the consent is a row of its own
    (Toestemming) that the public pages never read. A story changes only
    through a Wijziging that a second person approved.
    """

    title = models.CharField(_("titel"), max_length=200)
    teller = models.CharField(_("wie vertelt?"), max_length=10, choices=Verteller.choices)
    text = models.TextField(_("het verhaal"))
    topics = models.ManyToManyField(
        Topic, verbose_name=_("bij de pagina's"), related_name="ervaringen", blank=True
    )
    fictional = models.BooleanField(_("verzonnen voorbeeld"), default=False)
    published = models.BooleanField(_("gepubliceerd"), default=False)
    published_at = models.DateTimeField(_("gepubliceerd"), null=True, blank=True)
    # Taken offline, for instance because the teller withdrew their consent.
    withdrawn_at = models.DateTimeField(_("offline gehaald"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offline gehaald door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ErvaringQuerySet.as_manager()

    class Meta:
        verbose_name = _("ervaringsverhaal")
        verbose_name_plural = _("ervaringsverhalen")
        ordering = ["-published_at", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("informeren:ervaring", args=[self.pk])

    def accepts_consent(self, consent: "Toestemming | None") -> bool:
        """Whether ``consent`` may put (or keep) this story online.

        A story taken offline had its consent withdrawn: only a consent
        recorded after that brings it back.
        """
        if self.withdrawn_at is None:
            return True
        return (
            consent is not None
            and consent.withdrawn_at is None
            and consent.recorded_at > self.withdrawn_at
        )


class ToestemmingWijze(models.TextChoices):
    SCHRIFTELIJK = "schriftelijk", _("Schriftelijk, met handtekening")
    EMAIL = "email", _("Per e-mail")
    MONDELING = "mondeling", _("Mondeling, daarna per e-mail bevestigd")
    DEMO = "demo", _("Geen: verzonnen voorbeeld")


class Toestemming(models.Model):
    """Who agreed that their story may be published, and when. Only the redactie sees it.

    Kept apart from the story: no public page, fragment or search index reads
    this table. The least that shows the consent was given: no address, no
    phone number.
    """

    # Encrypted, and emptied when the consent is withdrawn: only that it was
    # given (and withdrawn), when and how is kept then.
    given_by = EncryptedTextField(
        _("wie gaf toestemming?"),
        max_length=150,
        help_text=_("Bijvoorbeeld: de moeder van de leerling, mevrouw J. de Vries."),
    )
    given_on = models.DateField(_("datum van de toestemming"))
    how = models.CharField(_("hoe?"), max_length=20, choices=ToestemmingWijze.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("vastgelegd"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"toestemming {self.pk} ({self.given_on:%d-%m-%Y})"

    def withdraw(self) -> None:
        """The consent no longer holds: forget who gave it, keep that and when."""
        if self.withdrawn_at is not None:
            return
        self.given_by = ""
        self.withdrawn_at = timezone.now()
        self.save(update_fields=["given_by", "withdrawn_at"])


# --- Changes to public texts other than pages, under four eyes -------------------------


class WijzigingSoort(models.TextChoices):
    BEGRIP = "begrip", _("Begrip")
    CHECKLIST = "checklist", _("Checklist")
    ORGANISATIE = "organisatie", _("Organisatie")
    ERVARING = "ervaring", _("Ervaringsverhaal")


class WijzigingQuerySet(models.QuerySet["Wijziging"]):
    def open(self) -> "WijzigingQuerySet":
        return self.filter(
            status__in=[
                RevisionStatus.CONCEPT,
                RevisionStatus.AFGEKEURD,
                RevisionStatus.TER_BEOORDELING,
                RevisionStatus.GOEDGEKEURD,
            ]
        )

    def of(self, kind: str, target_id: int | None) -> "WijzigingQuerySet":
        return self.filter(kind=kind, target_id=target_id)


class Wijziging(FourEyes):
    """A new or changed glossary term, checklist, organisation or story, waiting to be public.

    What the public sees (Begrip, Checklist, Organisatie, Ervaring) is changed
    only when a Wijziging is published, after someone who wrote none of it
    approved it: the same workflow as a page's versions. ``data`` holds the
    proposed values (informeren/changes.py says which, per kind);
    ``previous`` what was public before, for the history.
    """

    kind = models.CharField(_("soort"), max_length=20, choices=WijzigingSoort.choices)
    # The public row this changes; empty for something new until it is published.
    target_id = models.PositiveIntegerField(_("nummer"), null=True, blank=True)
    label = models.CharField(_("naam"), max_length=200)
    data = models.JSONField(_("nieuwe inhoud"), default=dict)
    previous = models.JSONField(_("vorige inhoud"), default=dict, blank=True)
    consent = models.ForeignKey(
        Toestemming,
        verbose_name=_("toestemming"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewerkt door"),
        blank=True,
        related_name="edited_changes",
    )
    # Staged by the pull of the national feed (informeren/subscription.py).
    from_hub = models.BooleanField(_("uit de landelijke set"), default=False)
    # Why this region departs from the national content of the item (required to
    # change it when a hub is configured); kept in the history.
    deviation_reason = models.TextField(_("reden van regionale afwijking"), blank=True)

    objects = WijzigingQuerySet.as_manager()

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["kind", "target_id"], name="wijziging_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("informeren:change", args=[self.pk])

    def readability_texts(self) -> dict[str, str]:
        from informeren.changes import KINDS

        return KINDS[self.kind].readability_texts(self.data)

    def close_for_withdrawal(self, *, reason: str) -> None:
        """The story this changes was taken offline: send the change back without its consent.

        It can be written on, but goes for review only with a new consent.
        """
        self.status = RevisionStatus.AFGEKEURD
        self.rejection_reason = reason
        self.consent = None
        self.save(update_fields=["status", "rejection_reason", "consent", "updated_at"])

    def edit(self, *, by: User, data: dict[str, Any], label: str) -> None:
        """New proposed values for a concept (or a rejected change); ``by`` becomes an editor."""
        if not self.is_editable:
            raise WorkflowError(
                _("Deze wijziging is niet meer aan te passen. Begin een nieuwe wijziging.")
            )
        self._move(RevisionStatus.CONCEPT, _("Deze wijziging is niet meer aan te passen."))
        self.data = data
        self.label = label
        self.save(update_fields=["data", "label", "status", "updated_at"])
        self.editors.add(by)


# --- The national set between the hub and the regions (issue 26) ----------------------


class NationalFeed(models.Model):
    """One version of the national set as the hub serves it (informeren/national.py).

    ``body`` is the exact signed bytes; a new version is made only when the
    content (``fingerprint``) changed, so serving the feed reads one row.
    """

    version = models.PositiveIntegerField(_("versie"), unique=True)
    issued_at = models.DateTimeField(_("uitgegeven"))
    fingerprint = models.CharField(max_length=64)
    # The content version (steunpunt/cache.py) this feed was last checked against.
    content_version = models.BigIntegerField(null=True, blank=True)
    body = models.BinaryField()
    signature = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("landelijke feed")
        verbose_name_plural = _("landelijke feeds")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"feed {self.version}"


class PullResult(models.TextChoices):
    OK = "ok", _("Opgehaald")
    UNCHANGED = "ongewijzigd", _("Geen nieuwe versie")
    REFUSED = "geweigerd", _("Geweigerd")
    FAILED = "mislukt", _("Mislukt")


class NationalPull(models.Model):
    """One attempt of a region to fetch the hub's feed, and what came of it."""

    started_at = models.DateTimeField(_("begonnen"), default=timezone.now)
    version = models.PositiveIntegerField(_("versie"), null=True, blank=True)
    result = models.CharField(_("resultaat"), max_length=12, choices=PullResult.choices)
    message = models.TextField(_("toelichting"), blank=True)
    staged = models.PositiveIntegerField(_("klaargezet"), default=0)
    # Slugs of topics (and names of other items) held back for a local change under way:
    # the same feed version is read again for them at the next pull.
    held_back = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("ophaling van de landelijke set")
        verbose_name_plural = _("ophalingen van de landelijke set")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.result} {self.version or ''}"
