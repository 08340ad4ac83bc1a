"""`beacon intel generate / ingest / analyse` and the demo seeder."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beacon.demo.seeding import SeedContext
from beacon.intel.models import AnalysisRun, ImportJob, Network, Post
from beacon.intel.seed import seed_posts


@pytest.mark.django_db
def test_generate_ingest_analyse(tmp_path, capsys):
    out = tmp_path / "corpus.jsonl"
    call_command("intel", "generate", "--posts", "120", "--seed", "7", "--out", str(out))
    assert len(out.read_text().splitlines()) == 120
    call_command("intel", "ingest", str(out))
    call_command("intel", "ingest", str(out), "--analyse")
    text = capsys.readouterr().out
    assert "120 new posts" in text and "0 new posts, 120 already stored" in text
    assert Post.objects.count() == 120
    assert AnalysisRun.objects.count() == 1 and Network.objects.exists()
    call_command("intel", "analyse")
    assert AnalysisRun.objects.count() == 1


@pytest.mark.django_db
def test_ingest_of_a_missing_file_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("intel", "ingest", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_seeder_is_idempotent():
    ctx = SeedContext(posts=80, out=lambda s: None)
    seed_posts(ctx)
    counts = (Post.objects.count(), Network.objects.count(), ImportJob.objects.count())
    assert counts[0] == 80 and counts[1] > 0
    seed_posts(ctx)
    assert (Post.objects.count(), Network.objects.count(), ImportJob.objects.count()) == counts
