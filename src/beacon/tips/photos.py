"""Photos: decoded, re-encoded without any metadata (EXIF, GPS, XMP, ICC), size-limited.

`check_header` reads only the header and applies the one pixel budget (beacon.web.images);
callers run the decode (`clean`) only after the cheap checks a request must pass (its token, the
rate limit).
"""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageOps, UnidentifiedImageError

from beacon.web import images

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 2000
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
NotAnImage = images.ImageRefused


def check_header(data: bytes) -> None:
    """Refuse what is too large, not a photo format we take, or over the pixel budget, from the
    header alone: nothing is decoded here."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise NotAnImage("too large")
    images.check_header(data, FORMATS)


def clean(data: bytes) -> bytes:
    """A JPEG carrying only pixels: the original's metadata is never copied."""
    check_header(data)
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            image.verify()
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a large JPEG decodes straight at a smaller scale
            image = ImageOps.exif_transpose(image)  # keep orientation, then drop the tags
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            pixels_only = Image.new("RGB", image.size)
            pixels_only.paste(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise NotAnImage(str(exc)) from None
    out = io.BytesIO()
    pixels_only.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str) -> bytes:
    return base64.b64decode(text)
