"""API tokens get a scope and an expiry: tokens issued without one expire BEACON_API_TOKEN_DAYS after
they were created (an already older token expires at once and must be issued again)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def give_every_token_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = timedelta(days=settings.BEACON_API_TOKEN_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + days)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "read only"), ("write", "read and write")],
                default="write",
                max_length=10,
                verbose_name="scope",
            ),
        ),
        migrations.RunPython(give_every_token_an_expiry, migrations.RunPython.noop),
    ]
