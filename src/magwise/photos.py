"""Scalp photos: checked, and re-encoded so that nothing but the picture is kept.

A photo from a phone carries EXIF metadata — the place it was taken among it.
``prepare_photo`` decodes the upload with Pillow (JPEG, PNG or WebP only),
turns it upright as the camera recorded, scales it to at most
``MAX_EDGE_PIXELS`` on its longer side and encodes it anew as JPEG without any
metadata. What is stored is that new file; the upload itself is not kept.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from magwise.errors import InputError

#: The areas of the scalp a photo shows (the codes; the pages name them).
AREAS = ("hairline", "temples", "crown", "part_line")
#: The formats accepted from a phone's camera or a file.
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
#: The largest upload (bytes) and picture (pixels) read; larger is refused unread.
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SOURCE_PIXELS = 50_000_000
#: The longer side of a stored photo: enough to compare hair density, small to keep.
MAX_EDGE_PIXELS = 2048
JPEG_QUALITY = 88


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes
    media_type: str
    width: int
    height: int


def check_area(area: str) -> str:
    if area not in AREAS:
        raise InputError("area", f"{area[:40]!r} is not accepted; accepted: {', '.join(AREAS)}")
    return area


def prepare_photo(raw: bytes) -> PreparedPhoto:
    """``raw`` as a stored photo: upright, at most ``MAX_EDGE_PIXELS``, JPEG, no metadata."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not raw:
        raise InputError("file", "the file is empty; accepted: a JPEG, PNG or WebP photo")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InputError(
            "file",
            f"the file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB; accepted: "
            "a smaller JPEG, PNG or WebP photo",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                if image.format not in FORMATS:
                    raise InputError(
                        "file", f"a {image.format} image is not accepted; accepted: JPEG, PNG, WebP"
                    )
                if image.width * image.height > MAX_SOURCE_PIXELS:
                    raise InputError("file", "the picture has too many pixels to read")
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                picture = upright.convert("RGB")
    except InputError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise InputError(
            "file", "not a photo magwise can read; accepted: JPEG, PNG, WebP"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(
            "file", f"the photo cannot be read ({exc}); accepted: JPEG, PNG, WebP"
        ) from None
    picture.thumbnail((MAX_EDGE_PIXELS, MAX_EDGE_PIXELS))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)  # no exif= given
    return PreparedPhoto(out.getvalue(), "image/jpeg", picture.width, picture.height)
