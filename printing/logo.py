"""The shop's logo made fit for a receipt: a small black-and-white PNG.

A thermal printer prints dots, black or white; a photo sent as it is comes out as a dark
smudge and a large image takes seconds to send. So a chosen picture is checked, its transparent
parts made white, scaled down to at most LOGO_MAX_WIDTH dots wide (a third of a receipt's height
budget at most LOGO_MAX_HEIGHT), and dithered to one bit per dot.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow loads on first use: a start of the program needs no picture
    from PIL import Image

#: Dots: narrower than the printable width of 58 mm paper (384 dots) so it fits on every printer.
LOGO_MAX_WIDTH = 360
LOGO_MAX_HEIGHT = 200
#: Files above this are refused before they are decoded.
LOGO_MAX_FILE_BYTES = 5 * 1024 * 1024
#: Pictures above this many pixels are refused (a decompression bomb would fill the memory).
LOGO_MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = frozenset({"PNG", "JPEG"})


class LogoError(ValueError):
    """The file is not a usable picture; `reason` is "not_image", "too_large" or "format"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _open(data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_FILE_BYTES:
        raise LogoError("too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise LogoError("format")
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise LogoError("too_large")
            image.load()
    except LogoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise LogoError("too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise LogoError("not_image") from None
    return image


def prepare_logo(data: bytes) -> bytes:
    """A PNG or JPEG file's bytes as a receipt logo: one-bit PNG at most 360 x 200 dots.

    LogoError when the file is not a PNG or JPEG picture, or is too large to be a logo.
    """
    from PIL import Image

    image = _open(data)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        image = white
    grey = image.convert("L")
    grey.thumbnail((LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT), Image.Resampling.LANCZOS)
    mono = grey.convert("1")  # Floyd-Steinberg dithering
    out = io.BytesIO()
    mono.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_logo(data: bytes) -> tuple[int, int]:
    """The size of a stored logo; LogoError unless it is a PNG that fits a receipt."""
    image = _open(data)
    if image.format != "PNG":
        raise LogoError("format")
    if image.width > LOGO_MAX_WIDTH or image.height > LOGO_MAX_HEIGHT:
        raise LogoError("too_large")
    return image.size


def logo_image(data: bytes) -> Image.Image:
    """A stored logo as a picture to print or draw."""
    return _open(data)
