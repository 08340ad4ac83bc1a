"""Tip photos cost no decoding until the request has passed its token and rate-limit checks, and
are decoded only within a pixel budget."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from beacon.tips import photos
from beacon.tips.models import Tip, TipPhoto
from beacon.tips.tests.conftest import jpeg_with_gps


def _png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes that claim width x height pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 4096))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def decodes(monkeypatch) -> list[int]:
    """Counts every call of the decoder (photos.clean)."""
    calls: list[int] = []
    real = photos.clean

    def counting(data: bytes) -> bytes:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(photos, "clean", counting)
    return calls


def _uploads(n: int = 5) -> dict:
    return {"photos": [SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(), content_type="image/jpeg") for i in range(n)]}


@pytest.mark.django_db
def test_a_forged_token_costs_no_decoding(submit, decodes):
    response, _ = submit(token="forged.token.value", files=_uploads())
    assert response.status_code == 400
    assert decodes == [] and Tip.objects.count() == 0


@pytest.mark.django_db
def test_a_rate_limited_client_costs_no_decoding(submit, decodes, settings):
    from django.core.cache import cache

    settings.BEACON_PUBLIC_RATE_LIMITS = {"tip": 1, "codename": 60, "add": 60}
    cache.clear()
    assert submit()[0].status_code == 200
    response, _ = submit(files=_uploads())
    assert response.status_code == 429
    assert decodes == [] and TipPhoto.objects.count() == 0


@pytest.mark.django_db
def test_a_valid_request_decodes_its_photos_once_each(submit, decodes):
    response, _ = submit(files=_uploads(2))
    assert response.status_code == 200
    assert len(decodes) == 2 and TipPhoto.objects.count() == 2


def test_the_header_check_refuses_a_bomb_without_decoding_it(monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(photos.NotAnImage, match="pixel budget"):
        photos.check_header(_png_declaring(8_000, 8_000))  # 64 million: over our budget, under Pillow's
    with pytest.raises(photos.NotAnImage):
        photos.check_header(_png_declaring(30_000, 30_000))
    with pytest.raises(photos.NotAnImage):
        photos.clean(_png_declaring(30_000, 30_000))


@pytest.mark.django_db
def test_a_bomb_photo_gets_the_not_a_photo_message(submit, decodes):
    bomb = SimpleUploadedFile("bomb.png", _png_declaring(30_000, 30_000), content_type="image/png")
    response, _ = submit(files={"photos": [bomb]})
    assert response.status_code == 400
    assert "not a photo we can open" in response.content.decode()
    assert decodes == [] and Tip.objects.count() == 0
