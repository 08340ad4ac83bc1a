"""One blind index per contact: `bidx`, under the identifier kind's one purpose, replaces the separate
tip-purpose and case-purpose indexes; it is computed from the contact's value (already normalised)."""

from django.db import migrations, models

from beacon.intel.linking import contact_index


def reindex(apps, schema_editor):
    Contact = apps.get_model("intel", "Contact")
    changed = []
    for contact in (
        Contact.objects.filter(kind__in=["phone", "email"]).only("pk", "kind", "value").iterator(chunk_size=1000)
    ):
        contact.bidx = contact_index(contact.kind, contact.value)
        changed.append(contact)
    Contact.objects.bulk_update(changed, ["bidx"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("intel", "0002_import_mapping")]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="bidx",
            field=models.CharField(blank=True, db_index=True, max_length=40),
        ),
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="contact", name="tip_bidx"),
        migrations.RemoveField(model_name="contact", name="case_bidx"),
    ]
