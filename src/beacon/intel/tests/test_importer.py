"""Importer for real exports: column aliases and mapping, the source's time zone, a preview before
loading (page and command), and post pages that list each place and phrase once in local time."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from beacon.intel import services
from beacon.intel.models import ImportJob, JobStatus, Post

EXPORT = (
    "post_id,site,text,date,cell,extra\n"
    "e1,board,Hiring now. Passport held by employer. Keep passport safe. Call 312 555 0147,2024-03-01 10:00,,x\n"
    "e2,board,Warehouse help wanted in Joliet,2024-03-02 09:30,773 555 0142,y\n"
    "e3,board,,2024-03-02 09:30,,z\n"
)


@pytest.fixture
def export_file(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_a_post_id_column_is_recognised(people, export_file):
    job = services.ingest_path(people["analyst"], export_file)
    assert (job.posts_created, job.error_count) == (2, 1)
    assert job.errors[0]["line"] == 4 and "neither title nor body" in job.errors[0]["message"]
    post = Post.objects.get(source_post_id="e2")
    assert post.source == "board" and post.body.startswith("Warehouse")
    assert post.extracted["phones"][0]["e164"] == "+17735550142"  # "cell" read as a contact


@pytest.mark.django_db
def test_times_without_a_zone_are_read_in_the_source_zone_and_shown_as_written(people, export_file, staff_client):
    services.ingest_path(people["analyst"], export_file)
    post = Post.objects.get(source_post_id="e1")
    assert post.posted_at.isoformat() == "2024-03-01T16:00:00+00:00"  # 10:00 in Chicago, stored in UTC
    page = staff_client(people["analyst"]).get(reverse("intel:post", args=[post.public_id])).content.decode()
    assert "2024-03-01 10:00 CST" in page


@pytest.mark.django_db
def test_a_source_in_another_zone_is_read_in_that_zone(people, export_file):
    from beacon.intel.core import ColumnMapping

    services.ingest_path(people["analyst"], export_file, mapping=ColumnMapping(tz="America/New_York"))
    assert Post.objects.get(source_post_id="e1").posted_at.isoformat() == "2024-03-01T15:00:00+00:00"


@pytest.mark.django_db
def test_post_page_lists_each_phrase_and_place_once(people, staff_client, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "id,source,title,body,location\n"
        'd1,s,Chicago,"Chicago IL. Send your passport today. Send your passport now. Chicago!",Chicago IL\n',
        encoding="utf-8",
    )
    services.ingest_path(people["analyst"], path)
    post = Post.objects.get()
    page = staff_client(people["analyst"]).get(reverse("intel:post", args=[post.public_id])).content.decode()
    places = page.split("Places:")[1].split("</li>")[0]
    assert places.count("Chicago") == 1
    assert any(h["flag"] for h in post.flags) and len(post.flags[0]["matches"]) >= 2
    flags_list = page.split("Red flags and the words that fired")[1].split("</ul>")[0]
    assert flags_list.count("<mark>") == len(post.flags)  # one phrase per flag here, shown once


@pytest.mark.django_db
def test_upload_shows_a_preview_and_loads_only_when_confirmed(people, staff_client, export_file):
    client = staff_client(people["analyst"])
    upload = SimpleUploadedFile("export.csv", export_file.read_bytes(), content_type="text/csv")
    response = client.post(reverse("intel:imports"), {"file": upload, "source": "", "analyse_after": ""})
    job = ImportJob.objects.get()
    preview_url = reverse("intel:import_preview", args=[job.public_id])
    assert response.status_code == 302 and response["Location"] == preview_url
    assert job.status == JobStatus.PREVIEW and not Post.objects.exists()
    page = client.get(preview_url).content.decode()
    assert '<option value="post_id" selected>' in page  # recognised and pre-selected
    assert "Not loaded: post has neither title nor body" in page
    assert "2024-03-01 10:00 CST" in page
    assert reverse("intel:import", args=[job.public_id]) != preview_url
    assert client.get(reverse("intel:import", args=[job.public_id]))["Location"] == preview_url

    form = {
        "id_column": "post_id",
        "body_column": "text",
        "date_column": "date",
        "source_column": "site",
        "contact_columns": ["cell"],
        "source_tz": "America/Denver",
        "source": "",
    }
    response = client.post(preview_url, {**form, "action": "check"})
    assert response.status_code == 302 and not Post.objects.exists()
    job.refresh_from_db()
    assert job.source_tz == "America/Denver" and job.contact_columns == ["cell"]
    assert "2024-03-01 11:00 CST" in client.get(preview_url).content.decode()  # 10:00 in Denver

    response = client.post(preview_url, {**form, "action": "load"})
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == JobStatus.DONE and job.posts_created == 2
    assert Post.objects.get(source_post_id="e1").posted_at.isoformat() == "2024-03-01T17:00:00+00:00"
    # a second click finds the import already loaded
    again = client.post(preview_url, {**form, "action": "load"})
    assert again["Location"] == reverse("intel:import", args=[job.public_id])
    assert ImportJob.objects.get().posts_created == 2


@pytest.mark.django_db
def test_preview_refuses_to_load_without_an_id_column(people, staff_client):
    client = staff_client(people["analyst"])
    upload = SimpleUploadedFile("x.csv", b"ref,body\n1,Hello\n", content_type="text/csv")
    client.post(reverse("intel:imports"), {"file": upload, "source": "site"})
    job = ImportJob.objects.get()
    url = reverse("intel:import_preview", args=[job.public_id])
    page = client.get(url).content.decode()
    assert "the header has no id column" in page
    response = client.post(url, {"id_column": "", "source_tz": "America/Chicago", "action": "load"})
    assert response.status_code == 200 and "Choose the column that holds each post" in response.content.decode()
    assert ImportJob.objects.get().status == JobStatus.PREVIEW
    client.post(
        url, {"id_column": "ref", "body_column": "body", "source_tz": "UTC", "source": "site", "action": "load"}
    )
    assert Post.objects.get().source_post_id == "1"


@pytest.mark.django_db
def test_command_maps_columns_and_previews_without_storing(export_file, capsys):
    call_command("intel", "ingest", str(export_file), "--id-column", "post_id", "--body-column", "text", "--preview")
    out = capsys.readouterr().out
    assert "id        <- post_id" in out and "line 4: NOT LOADED" in out and "nothing stored" in out
    assert not Post.objects.exists()
    call_command("intel", "ingest", str(export_file), "--contact-columns", "cell", "--tz", "UTC")
    assert "2 new posts" in capsys.readouterr().out
    assert Post.objects.get(source_post_id="e1").posted_at.isoformat() == "2024-03-01T10:00:00+00:00"
    with pytest.raises(CommandError, match="time zone"):
        call_command("intel", "ingest", str(export_file), "--tz", "Mars/Olympus")
    with pytest.raises(CommandError, match="no column 'nope'"):
        call_command("intel", "ingest", str(export_file), "--id-column", "nope", "--preview")
