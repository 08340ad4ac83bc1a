"""Attachments: type by content, size limit, metadata stripped, encrypted on disk."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from beacon.cases import files, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "FictionalCam"  # Make
    exif[0x8825] = {2: (41.0, 52.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_image_metadata_is_stripped_and_file_encrypted(case, staff, tmp_path):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    attachment = services.add_attachment(staff["cw"], case, filename="photo.jpg", data=raw)
    assert attachment.content_type == "image/jpeg"
    stored = (tmp_path / files.STORE_DIR / attachment.storage_name).read_bytes()
    assert stored.startswith(b"enc1:") and b"FictionalCam" not in stored
    data = services.read_attachment(staff["cw"], attachment)
    assert not Image.open(io.BytesIO(data)).getexif()


def test_pdf_is_accepted_and_other_types_refused(case, staff):
    pdf = services.add_attachment(staff["cw"], case, filename="letter.pdf", data=b"%PDF-1.4\n%fictional\n")
    assert pdf.content_type == "application/pdf"
    with pytest.raises(ValidationError):
        services.add_attachment(staff["cw"], case, filename="evil.pdf", data=b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        services.add_attachment(staff["cw"], case, filename="empty.png", data=b"")


def test_size_limit(case, staff, monkeypatch):
    monkeypatch.setattr(files, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="10 MB"):
        services.add_attachment(staff["cw"], case, filename="big.pdf", data=b"%PDF-" + b"0" * 200)


def test_attachment_reads_are_owner_only(case, staff):
    from beacon.access.policy import AccessDenied

    attachment = services.add_attachment(staff["cw"], case, filename="x.pdf", data=b"%PDF-1.4 x")
    with pytest.raises(AccessDenied):
        services.read_attachment(staff["other_cw"], attachment)
