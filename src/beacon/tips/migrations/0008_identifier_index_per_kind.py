"""Re-index every tip's phones, e-mails, plates and addresses under the one purpose per identifier kind
(`crypto.keys.identifier_index`), from the encrypted list of people the reporter gave, so a tip's phone
index equals a case's and an intel contact's for the same number."""

from django.db import migrations

from beacon.tips.identifiers import indexes_from_people


def reindex(apps, schema_editor):
    Tip = apps.get_model("tips", "Tip")
    TipIdentifier = apps.get_model("tips", "TipIdentifier")
    for tip in Tip.objects.only("pk", "people").iterator(chunk_size=500):
        wanted = sorted(indexes_from_people(tip.people or {}))
        TipIdentifier.objects.filter(tip_id=tip.pk).delete()
        TipIdentifier.objects.bulk_create(
            [TipIdentifier(tip_id=tip.pk, kind=kind, index=index) for kind, index in wanted]
        )


class Migration(migrations.Migration):
    dependencies = [("tips", "0007_triage_claims_and_changes")]

    # Going back keeps the new indexes: the old purposes are not worth restoring.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=False)]
