from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("screening", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="screening",
            name="safe_to_talk",
            field=models.BooleanField(null=True, verbose_name="safe to talk now"),
        ),
        migrations.AddField(
            model_name="screening",
            name="interpreter",
            field=models.CharField(
                blank=True,
                choices=[("not_needed", "Not needed: the person and the interviewer share a language"),
                         ("independent", "An independent interpreter is present (in person or by phone)")],
                max_length=20,
                verbose_name="interpreter",
            ),
        ),
        migrations.AddField(
            model_name="screening",
            name="confidentiality_explained",
            field=models.BooleanField(default=False, verbose_name="limits of confidentiality explained"),
        ),
        migrations.AddField(
            model_name="screening",
            name="right_to_stop_explained",
            field=models.BooleanField(default=False, verbose_name="right to stop explained"),
        ),
        migrations.AddField(
            model_name="screening",
            name="agreed_to_continue",
            field=models.BooleanField(default=False, verbose_name="agreed to continue"),
        ),
        migrations.AddField(
            model_name="screening",
            name="safety_checked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
