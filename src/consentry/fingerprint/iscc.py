"""ISCC codes (ISO 24138) with iscc-core: the identifier creators may already hold.

ISCC codes are used to *identify and pre-filter*, never to decide: a 64-bit
Content-Code is a coarse similarity hash (unrelated texts come out 40-60%
similar), so a match is decided by consentry's own near-copy fingerprints.
Codes are computed as iscc-core 1.x computes them, so anyone with the same
file and iscc-core gets the same codes.

- Content-Code text: ``gen_text_code_v0`` over the extracted text.
- Content-Code image: ``gen_image_code_v0`` over 32x32 grayscale pixels.
- Content-Code audio: ``gen_audio_code_v0`` over Chromaprint integers.
- Data-Code and Instance-Code: over the raw bytes.
- ISCC-CODE: the composite of the codes above (Content + Data + Instance).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import iscc_core as ic
from PIL import Image

from consentry.errors import UnreadableContent


def text_code(text: str) -> str:
    """The ISCC Content-Code of a text (``ISCC:EA...``)."""
    return str(ic.gen_text_code_v0(text)["iscc"])


def image_code(image: Image.Image) -> str:
    """The ISCC Content-Code of an image: 32x32 grayscale pixels, as iscc-sdk prepares them."""
    small = image.convert("L").resize((32, 32), Image.Resampling.BICUBIC)
    return str(ic.gen_image_code_v0(list(small.tobytes()))["iscc"])


def audio_code(chromaprint: Sequence[int]) -> str:
    """The ISCC Content-Code of audio from its Chromaprint integers (``fpcalc -raw``)."""
    if not chromaprint:
        raise UnreadableContent("unreadable:empty: no Chromaprint values to encode")
    return str(ic.gen_audio_code_v0(list(chromaprint))["iscc"])


def iscc_codes(data: bytes, content_code: str | None = None) -> dict[str, str]:
    """Data-Code, Instance-Code and, with a Content-Code, the composite ISCC-CODE.

    The result maps ``data``, ``instance``, and when given ``content`` and
    ``iscc`` (the composite) to canonical ``ISCC:`` strings.
    """
    codes = {
        "data": str(ic.gen_data_code_v0(io.BytesIO(data))["iscc"]),
        "instance": str(ic.gen_instance_code_v0(io.BytesIO(data))["iscc"]),
    }
    if content_code:
        codes["content"] = content_code
        units = [content_code, codes["data"], codes["instance"]]
        codes["iscc"] = str(ic.gen_iscc_code_v0(units)["iscc"])
    return codes
