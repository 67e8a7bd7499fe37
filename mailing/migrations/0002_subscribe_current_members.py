"""Subscribe the members who joined before the mailing list existed (each message)."""

from django.db import migrations


def subscribe(apps, schema_editor):
    Membership = apps.get_model("communities", "Membership")
    Subscription = apps.get_model("mailing", "Subscription")
    pairs = set(
        Membership.objects.filter(left_at__isnull=True).values_list("user_id", "community_id")
    )
    Subscription.objects.bulk_create(
        [
            Subscription(user_id=user_id, community_id=community_id)
            for user_id, community_id in pairs
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mailing", "0001_initial"),
        ("communities", "0003_membership_measures"),
    ]

    operations = [migrations.RunPython(subscribe, migrations.RunPython.noop)]
