"""The importer reads UTF-8 (NFC or NFD, with or without BOM, LF or CRLF), UTF-16 with a
BOM and Windows-1258, and writes NFC; it refuses the legacy font encodings TCVN3 and VNI
with a message that says why and what to do."""

import codecs
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantin.importer.encodings import (
    LegacyFontEncoding,
    UnreadableBulletin,
    decode_bulletin,
    normalize_text,
)

TEXT = "Hội nghị đối thoại của Văn phòng Quốc hội\n\nPhó Chủ tịch Uỷ ban MTTQ tỉnh Phạm Thuý Chinh phát biểu.\n"
TONES = "\u0300\u0301\u0303\u0309\u0323"
VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " .,;:-–“”()0123456789\n"),
    min_size=20,
    max_size=300,
)


def to_windows_1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters (â, ơ, ư…) whole, tone
    marks as combining characters after them unless the code page has the letter."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONES))
        out += (base + "".join(ch for ch in decomposed if ch in TONES)).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8 with BOM"),
        (unicodedata.normalize("NFD", TEXT).encode("utf-8"), "UTF-8"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "UTF-16 little-endian (BOM)"),
        (
            codecs.BOM_UTF16_BE + TEXT.replace("\n", "\r\n").encode("utf-16-be"),
            "UTF-16 big-endian (BOM)",
        ),
        (to_windows_1258(TEXT), "Windows-1258"),
    ],
    ids=["utf8", "utf8-bom", "nfd", "crlf", "utf16le", "utf16be-crlf", "cp1258"],
)
def test_each_encoding_is_detected_and_read_as_nfc(data, encoding):
    decoded = decode_bulletin(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_what_was_normalised_is_said():
    notes = decode_bulletin(unicodedata.normalize("NFD", TEXT).replace("\n", "\r\n").encode()).notes
    assert any("NFD" in note for note in notes)
    assert any("CRLF" in note for note in notes)


def test_windows_1258_has_combining_tone_marks():
    assert "\u0323" in to_windows_1258("Hội").decode("cp1258")


def test_tcvn3_text_is_refused_whatever_its_bytes():
    tcvn3 = "Héi nghÞ c¸n bé, c«ng chøc V¨n phßng H§ND huyÖn n¨m 2014\n"
    for data in (tcvn3.encode("utf-8"), tcvn3.encode("cp1258", errors="replace")):
        with pytest.raises(LegacyFontEncoding, match="TCVN3") as refusal:
            decode_bulletin(data)
        assert "no well-kept library converts it" in str(refusal.value)
        assert "nothing was imported" in str(refusal.value)


def test_vni_text_is_refused():
    with pytest.raises(LegacyFontEncoding, match="VNI"):
        decode_bulletin("Hoäi nghò caùn boä, coâng chöùc Vaên phoøng HÑND huyeän".encode("cp1252"))


def test_bytes_that_are_no_vietnamese_text_are_refused():
    with pytest.raises(UnreadableBulletin, match="Windows-1258"):
        decode_bulletin(bytes(range(128, 256)) * 4)


@given(vietnamese_text)
def test_vietnamese_text_survives_every_encoding(text):
    expected = normalize_text(text)
    for data in (
        text.encode("utf-8"),
        codecs.BOM_UTF8 + unicodedata.normalize("NFD", text).encode("utf-8"),
        codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"),
    ):
        assert decode_bulletin(data).text == expected


@given(vietnamese_text.filter(lambda text: sum(ch not in " \n" for ch in text) > 10))
def test_windows_1258_text_reads_back(text):
    try:
        decoded = decode_bulletin(to_windows_1258(text))
    except UnreadableBulletin:
        return  # too few Vietnamese letters to tell it from other code pages
    assert decoded.text == normalize_text(text)


@given(st.text(max_size=200))
def test_the_normaliser_is_idempotent_and_gives_nfc_with_lf(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\ufeff" not in once


@given(st.text(max_size=200))
def test_the_normaliser_keeps_every_visible_character(text):
    def visible(value: str) -> str:
        return "".join(
            ch for ch in unicodedata.normalize("NFC", value) if not ch.isspace() and ch != "\ufeff"
        )

    assert visible(normalize_text(text)) == visible(text)
