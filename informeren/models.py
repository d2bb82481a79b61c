"""The region the steunpunt serves: its SWVs, schools and organisations."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
        return self.name
