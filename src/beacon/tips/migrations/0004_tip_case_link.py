"""Tip and case are linked by a foreign key instead of strings (tips.case_ref, cases.tip_refs).

Existing links are carried over from both strings; a string naming no case is dropped (it could
only have been typed by hand, and the tip keeps its "converted" status and history).
"""

import django.db.models.deletion
from django.db import migrations, models


def link(apps, schema_editor):
    Tip = apps.get_model("tips", "Tip")
    Case = apps.get_model("cases", "Case")
    case_ids = dict(Case.objects.values_list("public_id", "id"))
    for tip in Tip.objects.exclude(case_ref="").only("id", "case_ref").iterator():
        case_id = case_ids.get(tip.case_ref)
        if case_id:
            Tip.objects.filter(pk=tip.pk).update(case_id=case_id)
    for case in Case.objects.only("id", "tip_refs").iterator():
        refs = [ref for ref in (case.tip_refs or []) if isinstance(ref, str)]
        if refs:
            Tip.objects.filter(public_id__in=refs, case__isnull=True).update(case_id=case.id)


def unlink(apps, schema_editor):
    Tip = apps.get_model("tips", "Tip")
    Case = apps.get_model("cases", "Case")
    for tip in Tip.objects.filter(case__isnull=False).select_related("case").iterator():
        Tip.objects.filter(pk=tip.pk).update(case_ref=tip.case.public_id)
        case = Case.objects.get(pk=tip.case_id)
        case.tip_refs = sorted(set(case.tip_refs or []) | {tip.public_id})
        case.save(update_fields=["tip_refs"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_person_from_tip_case_signs_from_tip"),
        ("tips", "0003_leaner_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="tip",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tips",
                to="cases.case",
            ),
        ),
        migrations.RunPython(link, unlink),
        migrations.RemoveField(model_name="tip", name="case_ref"),
        migrations.AddIndex(
            model_name="tip",
            index=models.Index(condition=models.Q(("case__isnull", False)), fields=["case"], name="tip_case_idx"),
        ),
    ]
