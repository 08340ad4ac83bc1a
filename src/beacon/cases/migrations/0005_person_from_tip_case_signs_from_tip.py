import beacon.crypto.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_closure_details"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="signs_from_tip",
            field=beacon.crypto.fields.EncryptedJSONField(
                blank=True, default=dict, verbose_name="signs reported in the tip"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="described_in_tip",
            field=beacon.crypto.fields.EncryptedTextField(blank=True, verbose_name="as described in the tip"),
        ),
        migrations.AddField(
            model_name="person",
            name="from_tip_unconfirmed",
            field=models.BooleanField(default=False, verbose_name="from the tip, unconfirmed"),
        ),
    ]
