"""The one pixel budget for images people upload (tip photos, case attachments).

Decoding costs CPU and memory in proportion to the pixels an image declares, not to its bytes: a
40 kB PNG can declare a billion pixels (a decompression bomb). `check_header` reads only the
header (format and declared size) and refuses anything over the budget before a pixel is decoded.
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

# Width x height an image may declare: a 48-megapixel phone photo (8000 x 6000) fits, a bomb does not.
PIXEL_BUDGET = 50_000_000
Image.MAX_IMAGE_PIXELS = PIXEL_BUDGET  # Pillow's own guard (it raises at twice this), behind check_header


class ImageRefused(ValueError):
    """Not an image of an accepted format, or unreadable."""


class TooManyPixels(ImageRefused):
    """The image declares more pixels than the budget."""


def check_header(data: bytes, formats: tuple[str, ...]) -> tuple[str, int, int]:
    """(format, width, height) from the header alone; nothing is decoded."""
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            kind, (width, height) = image.format or "", image.size
    except Image.DecompressionBombError as exc:
        raise TooManyPixels(str(exc)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageRefused(str(exc)) from None
    if width <= 0 or height <= 0 or width * height > PIXEL_BUDGET:
        raise TooManyPixels(f"{width}x{height} is over the pixel budget of {PIXEL_BUDGET} pixels")
    return kind, width, height
