"""Turn the bytes of a file or a response into text, or say why they are not text."""

from __future__ import annotations

import codecs
import re

# Byte-order marks, longest first (a UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.05
_SNIFF_BYTES = 8192
# Control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


class UndecodableError(ValueError):
    """The bytes are binary data or in no encoding we can recognise."""


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding announced by a byte-order mark and the mark's length, if there is one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def looks_binary(data: bytes) -> bool:
    """True for bytes without a UTF-16/32 byte-order mark that contain NUL bytes near the start."""
    return bom_encoding(data) is None and b"\x00" in data[:_SNIFF_BYTES]


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: byte-order marks, then the declared charset, UTF-8, and charset detection.

    Raises ``UndecodableError`` for binary data (NUL bytes, control characters) or bytes that no
    encoding explains.
    """
    marked = bom_encoding(data)
    if marked is not None:
        encoding, skip = marked
        try:
            return _checked(data[skip:].decode(encoding))
        except UnicodeDecodeError as exc:
            raise UndecodableError(f"not valid {encoding} despite its byte-order mark") from exc
    if b"\x00" in data:
        raise UndecodableError("binary file (contains NUL bytes)")
    for encoding in [name for name in (declared, "utf-8") if name]:
        try:
            return _checked(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    return _checked(_detect(data))


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UndecodableError("undecodable: not UTF-8, UTF-16 or any encoding charset detection knows")
    return str(best)


def _checked(text: str) -> str:
    if text:
        controls = len(_CONTROL.findall(text))
        if controls / len(text) > _MAX_CONTROL_SHARE:
            raise UndecodableError("binary file (control characters)")
    return text
