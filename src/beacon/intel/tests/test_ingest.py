"""Ingest: idempotent on (source, post id), bad rows reported with line numbers, progress saved as it goes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beacon.audit.models import AuditAction, AuditEntry
from beacon.intel import services
from beacon.intel.models import Contact, ImportJob, JobStatus, Network, Post, PostContact, PostFlag
from beacon.intel.tests.conftest import POSTS, write_posts


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Post, Contact, PostContact, PostFlag))


@pytest.mark.django_db
def test_importing_the_same_file_twice_adds_nothing(people, posts_file):
    first = services.ingest_path(people["analyst"], posts_file)
    assert (first.posts_created, first.posts_existing) == (len(POSTS), 0)
    after_first = _counts()
    second = services.ingest_path(people["analyst"], posts_file)
    assert (second.posts_created, second.posts_existing) == (0, len(POSTS))
    assert _counts() == after_first


@pytest.mark.django_db
def test_bad_rows_are_reported_with_their_line_numbers(people, posts_file):
    job = services.ingest_path(people["analyst"], posts_file)
    assert job.status == JobStatus.DONE
    assert job.error_count == 2
    lines = {e["line"]: e["message"] for e in job.errors}
    assert set(lines) == {3, 8}
    assert "invalid JSON" in lines[3] and "missing post id" in lines[8]


@pytest.mark.django_db
def test_csv_rows_with_missing_fields_are_reported(people, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("id,source,title,body,phone\n1,s,Job,Start now,3125550101\n2,s\n3,s,,\n", encoding="utf-8")
    job = services.ingest_path(people["analyst"], path)
    assert job.posts_created == 1
    assert [e["line"] for e in job.errors] == [3, 4]
    post = Post.objects.get()
    assert post.contact_columns == {"phone": "3125550101"}
    assert post.extracted["phones"][0]["e164"] == "+13125550101"


@pytest.mark.django_db
def test_progress_is_saved_every_batch(people, tmp_path, monkeypatch):
    rows = [dict(POSTS[0], id=f"p{i}") for i in range(7)]
    path = write_posts(tmp_path / "many.jsonl", rows, bad=False)
    job = ImportJob.objects.create(file_name="many.jsonl", stored_path=str(path), created_by=people["analyst"])
    seen: list[tuple[str, int, int]] = []
    real = services.store_posts

    def spy(items, job_arg=None):
        stored = ImportJob.objects.get(pk=job.pk)  # what a progress poll would read now
        seen.append((stored.status, stored.rows_read, stored.posts_created))
        return real(items, job_arg)

    monkeypatch.setattr(services, "store_posts", spy)
    services.ingest(job, batch_size=3)
    assert [s[2] for s in seen] == [0, 3, 6]  # posts saved before each later batch
    assert all(s[0] == JobStatus.RUNNING for s in seen)
    assert seen[1][1] >= 3 and seen[0][1] == 0
    job.refresh_from_db()
    assert (job.status, job.posts_created, job.percent, job.total_lines) == (JobStatus.DONE, 7, 100, 7)


@pytest.mark.django_db
def test_upload_page_runs_the_import_task_and_shows_progress(people, staff_client, posts_file):
    client = staff_client(people["analyst"])
    upload = SimpleUploadedFile("posts.jsonl", posts_file.read_bytes(), content_type="application/json")
    response = client.post(reverse("intel:imports"), {"file": upload, "source": "", "analyse_after": "on"})
    job = ImportJob.objects.get()
    preview = reverse("intel:import_preview", args=[job.public_id])
    assert response.status_code == 302 and response["Location"] == preview
    form = {"id_column": "id", "source_column": "source", "source_tz": "America/Chicago", "action": "load"}
    response = client.post(
        preview, {**form, "body_column": "body", "title_column": "title", "location_column": "location"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("intel:import", args=[job.public_id])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.posts_created == len(POSTS)
    assert job.stored_path.startswith("intel-imports/")
    assert Network.objects.count() >= 2  # analysed after the import
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=job.public_id).exists()
    page = client.get(reverse("intel:import", args=[job.public_id])).content.decode()
    assert "missing post id" in page and "hx-trigger" not in page  # finished: polling stops


@pytest.mark.django_db
def test_progress_partial_polls_every_two_seconds_while_running(people, staff_client):
    job = ImportJob.objects.create(
        file_name="x.jsonl",
        stored_path="intel-imports/x.jsonl",
        status=JobStatus.RUNNING,
        total_lines=200,
        rows_read=50,
    )
    client = staff_client(people["investigator"])
    html = client.get(reverse("intel:import_progress", args=[job.public_id])).content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="25"' in html


@pytest.mark.django_db
def test_wrong_file_type_is_refused_with_a_message(people, staff_client):
    client = staff_client(people["analyst"])
    upload = SimpleUploadedFile("posts.xlsx", b"PK...", content_type="application/octet-stream")
    response = client.post(reverse("intel:imports"), {"file": upload, "source": "site"})
    assert response.status_code == 200
    assert "Upload a .csv or .jsonl file" in response.content.decode()
    assert 'value="site"' in response.content.decode()  # what was typed is kept
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_api_upload_starts_an_import_and_reports_status(people, staff_client, posts_file):
    client = staff_client(people["investigator"])
    upload = SimpleUploadedFile("posts.jsonl", posts_file.read_bytes())
    response = client.post("/api/v1/intel/imports", {"file": upload, "analyse_after": "false"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "done" and body["posts_created"] == len(POSTS) and body["error_count"] == 2
    status = client.get(f"/api/v1/intel/imports/{body['public_id']}").json()
    assert status["errors"][0] == {"line": 3, "message": body["errors"][0]["message"]}
    assert client.get("/api/v1/intel/imports/NOPE").status_code == 404
    bad = client.post("/api/v1/intel/imports", {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert bad.status_code == 422 and "csv" in bad.json()["detail"]


@pytest.mark.django_db
def test_api_upload_is_refused_for_caseworkers(people, staff_client, posts_file):
    client = staff_client(people["caseworker"])
    response = client.post("/api/v1/intel/imports", {"file": SimpleUploadedFile("p.jsonl", posts_file.read_bytes())})
    assert response.status_code == 403 and response.json()["detail"]
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_an_unexpected_error_marks_the_job_failed(people, posts_file, monkeypatch):
    from beacon.intel import tasks

    job = ImportJob.objects.create(file_name="p.jsonl", stored_path=str(posts_file), created_by=people["analyst"])

    def boom(items, job_arg=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "store_posts", boom)
    with pytest.raises(RuntimeError):
        tasks.ingest_task.call_local(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "unexpected error" in job.message
    tasks.ingest_task.call_local(job.pk)  # a retried message finds the job taken and does nothing
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
