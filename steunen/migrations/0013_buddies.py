# Buddies: the volunteer pool, the people on a case beside the behandelaar, the asker's wish.

import django.db.models.deletion
import django.utils.timezone
import steunpunt.crypto
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("informeren", "0024_topic_translations"),
        ("steunen", "0012_evaluation_reopen"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BuddyProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "agreement_on",
                    models.DateField(
                        blank=True, null=True, verbose_name="vrijwilligersovereenkomst getekend op"
                    ),
                ),
                (
                    "trained_on",
                    models.DateField(blank=True, null=True, verbose_name="training gevolgd op"),
                ),
                (
                    "vog_on",
                    models.DateField(blank=True, null=True, verbose_name="VOG afgegeven op"),
                ),
                ("gemeenten", models.JSONField(blank=True, default=list, verbose_name="gemeenten")),
                (
                    "school_types",
                    models.JSONField(blank=True, default=list, verbose_name="soorten school"),
                ),
                (
                    "experience",
                    steunpunt.crypto.EncryptedTextField(
                        blank=True, verbose_name="ervaring die de vrijwilliger wil delen"
                    ),
                ),
                (
                    "availability",
                    models.CharField(blank=True, max_length=200, verbose_name="beschikbaarheid"),
                ),
                (
                    "max_cases",
                    models.PositiveSmallIntegerField(
                        default=2, verbose_name="hoeveel vragen tegelijk"
                    ),
                ),
                (
                    "available",
                    models.BooleanField(
                        default=True, verbose_name="beschikbaar voor nieuwe vragen"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "buddy",
                "verbose_name_plural": "buddy's",
            },
        ),
        migrations.CreateModel(
            name="BuddyWish",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("asked_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "via",
                    models.CharField(
                        choices=[
                            ("formulier", "Bij het stellen van de vraag"),
                            ("gesprek", "In het gesprek, met de code"),
                            ("medewerker", "Door een medewerker genoteerd"),
                        ],
                        max_length=12,
                    ),
                ),
            ],
            options={
                "verbose_name": "wens om een buddy",
                "verbose_name_plural": "wensen om een buddy",
                "ordering": ["asked_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="CaseMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("buddy", "Buddy"), ("meelezer", "Meelezer")],
                        max_length=12,
                        verbose_name="rol",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("uitgenodigd", "Uitgenodigd"),
                            ("actief", "Actief"),
                            ("afgeslagen", "Afgeslagen"),
                        ],
                        default="actief",
                        max_length=12,
                        verbose_name="stand",
                    ),
                ),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "persoon op een vraag",
                "verbose_name_plural": "personen op een vraag",
                "ordering": ["added_at", "id"],
            },
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Vraag binnengekomen"),
                    ("asker_replied", "Vrager reageerde"),
                    ("message_sent", "Antwoord verstuurd"),
                    ("note_added", "Notitie toegevoegd"),
                    ("status_changed", "Status gewijzigd"),
                    ("assigned", "Behandelaar gewijzigd"),
                    ("themes_changed", "Thema's gewijzigd"),
                    ("urgency_changed", "Spoed gewijzigd"),
                    ("time_logged", "Tijd geschreven"),
                    ("referred", "Doorverwezen"),
                    ("closed", "Afgerond"),
                    ("reopened", "Heropend"),
                    ("merged", "Samengevoegd"),
                    ("merge_undone", "Samenvoegen teruggedraaid"),
                    ("erased", "Persoonsgegevens verwijderd"),
                    ("exported", "Gesprek gedownload"),
                    ("swv_changed", "Samenwerkingsverband gewijzigd"),
                    ("booking_made", "Afspraak gemaakt"),
                    ("booking_moved", "Afspraak verzet"),
                    ("booking_cancelled", "Afspraak afgezegd"),
                    ("buddy_wished", "Vrager vraagt om een buddy"),
                    ("member_added", "Persoon toegevoegd"),
                    ("member_removed", "Persoon van de vraag gehaald"),
                    ("buddy_invited", "Buddy uitgenodigd"),
                    ("buddy_accepted", "Buddy doet mee"),
                    ("buddy_declined", "Buddy kan niet"),
                    ("buddy_message", "Bericht van de buddy"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="buddyprofile",
            name="samenwerkingsverbanden",
            field=models.ManyToManyField(
                blank=True,
                to="informeren.samenwerkingsverband",
                verbose_name="samenwerkingsverbanden",
            ),
        ),
        migrations.AddField(
            model_name="buddyprofile",
            name="themes",
            field=models.ManyToManyField(
                blank=True, to="informeren.thema", verbose_name="onderwerpen"
            ),
        ),
        migrations.AddField(
            model_name="buddyprofile",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="buddy_profile",
                to=settings.AUTH_USER_MODEL,
                verbose_name="vrijwilliger",
            ),
        ),
        migrations.AddField(
            model_name="buddywish",
            name="case",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="buddy_wish",
                to="steunen.case",
            ),
        ),
        migrations.AddField(
            model_name="casemember",
            name="added_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="casemember",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="members",
                to="steunen.case",
            ),
        ),
        migrations.AddField(
            model_name="casemember",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="case_memberships",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="buddyprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_cases__gte", 1), ("max_cases__lte", 20)),
                name="buddy_max_cases_range",
            ),
        ),
        migrations.AddIndex(
            model_name="casemember",
            index=models.Index(fields=["user", "role", "status"], name="case_member_by_user"),
        ),
        migrations.AddConstraint(
            model_name="casemember",
            constraint=models.UniqueConstraint(fields=("case", "user"), name="case_member_once"),
        ),
    ]
