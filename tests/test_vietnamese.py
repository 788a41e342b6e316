"""The Vietnamese text rules that identity, slugs, sorting and search share."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantin.names import resolve_names
from bantin.vietnamese import (
    TONE_MARKS,
    fold,
    identity_key,
    person_sort_key,
    place_tones,
    slugify,
    sort_key,
)


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [
        ("Thúy", "Thuý"),
        ("Ủy ban", "Uỷ ban"),
        ("hòa", "hoà"),
        ("khỏe", "khoẻ"),
        ("THÚY", "THUÝ"),
        ("Đảng ủy", "Đảng uỷ"),
        ("Hòa Bình", "Hoà Bình"),
    ],
)
def test_old_and_new_tone_placement_become_the_same_text(old_style, new_style):
    assert place_tones(old_style) == place_tones(new_style) == new_style


@pytest.mark.parametrize(
    "word",
    [
        "hoàn",
        "thuyết",
        "quý",
        "quả",
        "giá",
        "gìn",
        "giữa",
        "người",
        "Nguyễn",
        "tuổi",
        "mía",
        "của",
        "khuỷu",
        "rượu",
    ],
)
def test_words_with_one_correct_placement_are_left_as_they_are(word):
    assert place_tones(word) == word


def test_foreign_words_are_left_untouched():
    assert place_tones("José Ramos-Horta") == "José Ramos-Horta"


def test_nfd_input_comes_out_nfc():
    text = unicodedata.normalize("NFD", "Phạm Thúy Chinh")
    assert unicodedata.is_normalized("NFC", place_tones(text))
    assert identity_key(text) == identity_key("Phạm Thuý Chinh")


def test_identity_folds_case_spaces_and_tone_placement_but_not_letters():
    assert identity_key(" phạm  THÚY chinh ") == identity_key("Phạm Thuý Chinh")
    assert identity_key("Nguyễn Văn Hùng") != identity_key("Nguyễn Văn Hưng")
    assert identity_key("hội thảo") != identity_key("hội thao")


def test_fold_turns_d_with_stroke_into_d():
    assert fold("Đảng ủy HĐND Đình") == "dang uy hdnd dinh"


def test_slug_is_ascii_and_cut_at_a_word_boundary():
    assert (
        slugify("Hội nghị đối thoại giữa Thường trực Đảng ủy")
        == "hoi-nghi-doi-thoai-giua-thuong-truc-dang-uy"
    )
    assert slugify("Hội nghị đối thoại giữa Thường trực", max_length=20) == "hoi-nghi-doi-thoai"


def test_sort_follows_the_vietnamese_alphabet():
    words = ["Đặng", "Dương", "Ân", "Ăn", "An", "Ư", "U", "Vũ", "Ô", "Ơ", "O", "Zô"]
    assert sorted(words, key=sort_key) == [
        "An",
        "Ăn",
        "Ân",
        "Dương",
        "Đặng",
        "O",
        "Ô",
        "Ơ",
        "U",
        "Ư",
        "Vũ",
        "Zô",
    ]


def test_tones_sort_after_letters_in_dictionary_order():
    words = ["mạ", "má", "mã", "mả", "mà", "ma", "mai"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]


def test_people_sort_by_given_name_then_the_rest():
    names = ["Phạm Thúy Chinh", "Nguyễn Văn An", "Đặng Trọng Sơn", "Lê Văn An", "Triệu Đình Lê"]
    assert sorted(names, key=person_sort_key) == [
        "Lê Văn An",
        "Nguyễn Văn An",
        "Phạm Thúy Chinh",
        "Triệu Đình Lê",
        "Đặng Trọng Sơn",
    ]


def test_display_name_is_the_most_used_spelling_then_the_newest():
    names, _ = resolve_names(
        [("Phạm Thúy Chinh", 2015), ("Phạm Thuý Chinh", 2019), ("Phạm Thúy Chinh", 2020)]
    )
    assert [name.display for name in names.values()] == ["Phạm Thúy Chinh"]
    tied, _ = resolve_names([("Phạm Thúy Chinh", 2015), ("Phạm Thuý Chinh", 2019)])
    assert [name.display for name in tied.values()] == ["Phạm Thuý Chinh"]


def test_different_words_with_one_ascii_slug_get_distinct_slugs_and_a_note():
    names, clashes = resolve_names([("hội thảo", 1), ("hội thao", 2)])
    assert sorted(name.slug for name in names.values()) == ["hoi-thao", "hoi-thao-2"]
    assert names[identity_key("hội thao")].slug == "hoi-thao"  # "hội thao" sorts first
    assert len(clashes) == 1 and "hoi-thao" in clashes[0]


VOWELS = "aăâeêioôơuưy"
syllables = st.sampled_from(
    [
        "hoa",
        "thuy",
        "khoe",
        "uy",
        "hoan",
        "nguyên",
        "giưa",
        "quy",
        "thương",
        "ngươi",
        "tuôi",
        "mia",
        "cua",
        "khuyu",
    ]
)


@given(syllables, st.sampled_from(sorted(TONE_MARKS)), st.data())
def test_a_tone_mark_on_any_vowel_of_a_syllable_gives_one_identity(syllable, tone, data):
    positions = [i for i, letter in enumerate(syllable) if letter in VOWELS]
    first, second = data.draw(st.sampled_from(positions)), data.draw(st.sampled_from(positions))

    def with_tone_at(position):
        letters = list(syllable)
        letters[position] = unicodedata.normalize("NFC", letters[position] + tone)
        return "".join(letters)

    assert place_tones(with_tone_at(first)) == place_tones(with_tone_at(second))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_place_tones_is_idempotent_and_nfc(text):
    placed = place_tones(text)
    assert place_tones(placed) == placed
    assert unicodedata.is_normalized("NFC", placed)


@given(st.text(max_size=40))
def test_slugs_are_always_ascii_words_joined_by_hyphens(text):
    slug = slugify(text)
    assert slug == "" or all(part.isascii() and part.isalnum() for part in slug.split("-"))
