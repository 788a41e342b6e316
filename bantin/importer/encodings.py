"""Reading an old bulletin's bytes: which encoding it is in, and its text as NFC.

Old bulletins come as UTF-8 (NFC or NFD, with or without a BOM), UTF-16 with a BOM, or
Windows-1258, the Vietnamese code page, which keeps base letters such as â, ơ, ư whole
and writes the tone marks as combining characters after them. Older still are the
font encodings TCVN3 (ABC) and VNI, which put Vietnamese letters on the code points of
other Latin-1 letters ("Héi nghÞ", "Hoäi nghò"). No well-kept library converts them,
so such a file is refused with a message saying so, whatever its bytes were.
"""

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass

from bantin.vietnamese import nfc


class UnreadableBulletin(ValueError):
    """The bytes are not text in an encoding the importer reads."""


class LegacyFontEncoding(UnreadableBulletin):
    """The text is in TCVN3 (ABC) or VNI, which no well-kept library converts."""


@dataclass(frozen=True)
class Decoded:
    text: str  # NFC, LF line ends, no BOM
    encoding: str  # what was read, for the report: "UTF-8", "UTF-16 (BOM)", "Windows-1258"…
    notes: tuple[str, ...] = ()  # what was normalised: NFD, CRLF…


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 (BOM)"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 little-endian (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 big-endian (BOM)"),
)
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85")

# Letters of the Vietnamese alphabet beyond ASCII, without and with tone marks.
_VIETNAMESE_LETTERS = set(
    nfc("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
)
_VIETNAMESE_LETTERS |= {letter.upper() for letter in _VIETNAMESE_LETTERS}
# Characters that TCVN3 and VNI text shows in place of Vietnamese letters and that no
# Vietnamese word contains. TCVN3: "Héi nghÞ c¸n bé"; VNI: "Hoäi nghò caùn boä".
_TCVN3_SIGNS = set("¸µ¶·¹¨©ª«¬®Þ¡¢£¤¥¦½¾¼»ÆÇËÎÏÑÖ×ØÜßæçëîïñöøûüþ") - _VIETNAMESE_LETTERS
_VNI_SIGNS = set("äåëïñöøûÑÖØÛÄÅ") - _VIETNAMESE_LETTERS
_SIGNS = _TCVN3_SIGNS | _VNI_SIGNS
_WORD = re.compile(r"[^\W\d_]+(?:[\u0300-\u036f][^\W\d_]*)*")
_EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?…-–—/"


def normalize_text(text: str) -> str:
    """NFC text with LF line ends and no byte-order mark anywhere.

    Idempotent; changes nothing else (spaces, non-breaking spaces and spelling stay)."""
    text = text.replace("\ufeff", "")
    text = _LINE_BREAKS.sub("\n", text)
    return nfc(text)


def legacy_encoding(text: str) -> str | None:
    """'TCVN3 (ABC)' or 'VNI' when the text looks like a legacy font encoding."""
    words = [token.strip(_EDGE_PUNCTUATION) for token in text.split()]
    words = [word for word in words if any(ch.isalpha() for ch in word)]
    if not words:
        return None
    foreign = [word for word in words if _looks_foreign(word)]
    if len(foreign) < 3 or len(foreign) < 0.05 * len(words):
        return None
    tcvn3 = sum(ch in _TCVN3_SIGNS - _VNI_SIGNS for word in foreign for ch in word)
    vni = sum(ch in _VNI_SIGNS for word in foreign for ch in word)
    return "VNI" if vni > tcvn3 else "TCVN3 (ABC)"


def _looks_foreign(word: str) -> bool:
    """A word with a letter no Vietnamese word has, or a tone mark on a consonant."""
    return any(ch in _SIGNS for ch in word) or _combining_after_consonant(word)


def _combining_after_consonant(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word)
    for before, mark in itertools.pairwise(decomposed):
        if unicodedata.combining(mark) and before.isalpha() and before.lower() not in "aeiouy":
            return True
    return False


def _vietnamese_share(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 0.0
    marked = sum(any(ch in _VIETNAMESE_LETTERS for ch in word) for word in words)
    return marked / len(words)


def decode_bulletin(data: bytes) -> Decoded:
    """Detect the encoding of a bulletin and return its text as NFC with LF line ends.

    Raises LegacyFontEncoding for TCVN3/VNI text and UnreadableBulletin for bytes that
    are none of the encodings read here; both messages say what to do."""
    encoding, label, notes = _detect(data)
    try:
        raw = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableBulletin(
            f"is not valid {label} (byte {error.start}); expected UTF-8, UTF-16 with a BOM or Windows-1258"
        ) from None
    if "\r\n" in raw:
        notes.append("Windows line ends (CRLF) made LF")
    body = raw.replace("\ufeff", "")
    if not unicodedata.is_normalized("NFC", body):
        notes.append(
            "tone marks as combining characters (NFD) made NFC"
            if encoding != "cp1258"
            else "combining tone marks of Windows-1258 made NFC"
        )
    text = normalize_text(raw)
    legacy = legacy_encoding(text)
    if legacy:
        raise LegacyFontEncoding(
            f"looks like the legacy Vietnamese font encoding {legacy} "
            f"(words such as {_sample_words(text)!r}); no well-kept library converts it, so "
            "nothing was imported from this file. Convert it to Unicode first (for example "
            f"with Unikey's converter, from {legacy.split()[0]} to Unicode) and import it again."
        )
    if encoding == "cp1258" and _vietnamese_share(text) < 0.1:
        raise UnreadableBulletin(
            "is not UTF-8, and read as Windows-1258 it does not look like Vietnamese; "
            "expected UTF-8, UTF-16 with a BOM or Windows-1258"
        )
    return Decoded(text, label, tuple(notes))


def _detect(data: bytes) -> tuple[str, str, list[str]]:
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            return encoding, label, []
    if len(data) >= 4 and data.count(0) >= len(data) // 4:
        # UTF-16 without a byte-order mark: ASCII letters leave every other byte zero.
        even_zeros = data[0::2].count(0)
        odd_zeros = data[1::2].count(0)
        if odd_zeros > even_zeros:
            return "utf-16-le", "UTF-16 little-endian (no BOM, guessed)", []
        return "utf-16-be", "UTF-16 big-endian (no BOM, guessed)", []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1258", "Windows-1258", []
    return "utf-8", "UTF-8", []


def _sample_words(text: str) -> str:
    words = [token for token in text.split() if _looks_foreign(token.strip(_EDGE_PUNCTUATION))]
    return " ".join(words[:3])
