from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("steunen", "0011_appointments"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reopened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="heropend op"),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="reopen_wanted",
            field=models.BooleanField(
                blank=True, null=True, verbose_name="wil dat we opnieuw kijken"
            ),
        ),
    ]
