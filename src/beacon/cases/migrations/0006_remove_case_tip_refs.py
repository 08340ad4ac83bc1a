from django.db import migrations


class Migration(migrations.Migration):
    # After tips/0004 has copied the links into tips.Tip.case.
    dependencies = [
        ("cases", "0005_person_from_tip_case_signs_from_tip"),
        ("tips", "0004_tip_case_link"),
    ]

    operations = [
        migrations.RemoveField(model_name="case", name="tip_refs"),
    ]
