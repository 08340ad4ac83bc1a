"""Re-index each person's phone and e-mail under the one purpose per identifier kind
(`crypto.keys.identifier_index`), from the encrypted contact details, so a case's phone index equals a
tip's and an intel contact's for the same number."""

from django.db import migrations

from beacon.crypto.keys import email_index, phone_index


def reindex(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    changed = []
    for person in Person.objects.only("pk", "contact", "phone_bidx", "email_bidx").iterator(chunk_size=500):
        contact = person.contact or {}
        phone, email = phone_index(contact.get("phone", "")), email_index(contact.get("email", ""))
        if (phone, email) != (person.phone_bidx, person.email_bidx):
            person.phone_bidx, person.email_bidx = phone, email
            changed.append(person)
    Person.objects.bulk_update(changed, ["phone_bidx", "email_bidx"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_remove_case_tip_refs")]

    # Going back keeps the new indexes: the old purposes are not worth restoring.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=False)]
