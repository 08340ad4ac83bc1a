"""Photos: decoded, re-encoded without any metadata (EXIF, GPS, XMP, ICC), size-limited."""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_SIDE = 2000
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


class NotAnImage(ValueError):
    pass


def clean(data: bytes) -> bytes:
    """A JPEG carrying only pixels: the original's metadata is never copied."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise NotAnImage("too large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
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
