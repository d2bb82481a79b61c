from django.db import migrations, models


def count_places(apps, schema_editor):
    """Each slot's places taken, from its bookings that are not cancelled."""
    Slot = apps.get_model("steunen", "Slot")
    Booking = apps.get_model("steunen", "Booking")
    counts = (
        Booking.objects.filter(status="geboekt")
        .values("slot_id")
        .annotate(n=models.Count("id"))
        .values_list("slot_id", "n")
    )
    for slot_id, n in counts:
        Slot.objects.filter(pk=slot_id).update(booked=n)


class Migration(migrations.Migration):
    dependencies = [
        ("steunen", "0016_expert_advice_link"),
    ]

    operations = [
        migrations.AddField(
            model_name="slot",
            name="booked",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="geboekte plaatsen"
            ),
        ),
        migrations.RunPython(count_places, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.CheckConstraint(
                condition=models.Q(("booked__lte", models.F("capacity"))),
                name="slot_never_overbooked",
            ),
        ),
    ]
