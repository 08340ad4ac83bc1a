"""Attachment checks and encrypted storage.

Types are decided by content, not by the name or the browser's claim: images must declare no more
pixels than the one budget (beacon.web.images, checked from the header before decoding), open in
Pillow, and are re-encoded (which drops EXIF, GPS and other metadata); PDFs must start with the PDF magic.
Bytes are sealed with AES-GCM under the field-encryption keys (the text API of beacon.crypto.keys
over base64, so key ids and rotation work as for fields) and written under MEDIA_ROOT.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from beacon.crypto import keys
from beacon.web import images

MAX_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "JPEG"),
    "PNG": ("image/png", "PNG"),
    "WEBP": ("image/webp", "WEBP"),
    "GIF": ("image/png", "PNG"),
    "TIFF": ("image/png", "PNG"),
}
STORE_DIR = "case-files"


def clean_upload(data: bytes) -> tuple[bytes, str]:
    """Checked bytes and their content type, or ValidationError with a message a person understands."""
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB. Please upload a smaller file."))
    if data.startswith(b"%PDF-"):
        return data, "application/pdf"
    try:
        images.check_header(data, tuple(IMAGE_FORMATS))  # the header only: nothing decoded yet
    except images.TooManyPixels:
        raise ValidationError(
            _("The image has too many pixels to open safely (at most %(limit)d million). Please upload a smaller one.")
            % {"limit": images.PIXEL_BUDGET // 1_000_000}
        ) from None
    except images.ImageRefused:
        raise ValidationError(_("Only PDF documents and images (JPEG, PNG, WebP) can be attached.")) from None
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            kind = IMAGE_FORMATS.get(image.format or "")
            if kind is None:
                raise ValidationError(_("This image type is not accepted. Use JPEG, PNG or WebP."))
            content_type, out_format = kind
            image.load()
            if out_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            # A fresh image from the pixels alone: no EXIF, GPS, XMP or text chunks survive.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            buffer = io.BytesIO()
            clean.save(buffer, format=out_format)
            return buffer.getvalue(), content_type
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        pass
    raise ValidationError(_("Only PDF documents and images (JPEG, PNG, WebP) can be attached."))


def _path(storage_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / STORE_DIR / storage_name


def store(data: bytes) -> tuple[str, str]:
    """Encrypt and write; returns (storage name, sha256 of the plaintext)."""
    name = secrets.token_hex(16)
    sealed = keys.encrypt(base64.b64encode(data).decode("ascii"), associated_data=name.encode())
    path = _path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sealed, encoding="ascii")
    return name, hashlib.sha256(data).hexdigest()


def load(storage_name: str) -> bytes:
    sealed = _path(storage_name).read_text(encoding="ascii")
    return base64.b64decode(keys.decrypt(sealed, associated_data=storage_name.encode()))


def remove(storage_name: str) -> None:
    _path(storage_name).unlink(missing_ok=True)
