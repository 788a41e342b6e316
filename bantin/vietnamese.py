"""Vietnamese text rules shared by every feature: normalisation, identity, slugs, sorting.

Two spellings of the same word must be recognised as one ("Thúy"/"Thuý", "Ủy"/"Uỷ"):
NFC alone does not do it, because the old and the new convention put the tone mark
on different letters of "oa", "oe" and "uy". `place_tones` moves every tone mark to the
position of the new convention (the one the Ministry of Education has taught since 2018),
so any two spellings of a syllable end up with the same code points.
"""

import functools
import re
import unicodedata

# Combining tone marks in the dictionary order of the tones that carry them.
TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
_VOWELS = set("aăâeêioôơuưy")
_MARKED_VOWELS = set("ăâêôơư")
_FINAL_CONSONANTS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
# Nuclei whose tone the new convention puts on the second letter in an open syllable.
_SECOND_LETTER_NUCLEI = {"oa", "oe", "uy"}
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _split_tone(letter: str) -> tuple[str, str]:
    """Split one NFC letter into (letter without tone, tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", letter)
    tone = "".join(ch for ch in decomposed if ch in TONE_MARKS)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
    return base, tone


def _tone_position(bare: str) -> int | None:
    """Index in a lower-case, toneless syllable where the tone belongs, or None when
    the word is not shaped like a Vietnamese syllable (foreign names stay untouched)."""
    onset_end = 0
    while onset_end < len(bare) and bare[onset_end] not in _VOWELS:
        onset_end += 1
    # "qu" and, before another vowel, "gi" are consonants: "quý", "giá".
    onset, following = bare[:onset_end], bare[onset_end : onset_end + 2]
    if (onset, following[:1]) == ("q", "u") or (
        (onset, following[:1]) == ("g", "i") and following[1:] in _VOWELS
    ):
        onset_end += 1
    nucleus_end = onset_end
    while nucleus_end < len(bare) and bare[nucleus_end] in _VOWELS:
        nucleus_end += 1
    nucleus, final = bare[onset_end:nucleus_end], bare[nucleus_end:]
    if not nucleus or final not in _FINAL_CONSONANTS or len(nucleus) > 3:
        return None
    marked = [i for i, letter in enumerate(nucleus) if letter in _MARKED_VOWELS]
    if marked:
        offset = marked[-1]
    elif len(nucleus) == 1:
        offset = 0
    elif len(nucleus) == 3 or final or nucleus in _SECOND_LETTER_NUCLEI:
        offset = 1
    else:
        offset = 0
    return onset_end + offset


@functools.lru_cache(maxsize=100_000)
def _place_word_tone(word: str) -> str:
    letters = [_split_tone(letter) for letter in word]
    tones = [tone for _, tone in letters if tone]
    if len(tones) != 1:
        return word
    bare = "".join(base for base, _ in letters)
    position = _tone_position(bare.lower())
    if position is None:
        return word
    placed = [base for base, _ in letters]
    placed[position] = unicodedata.normalize("NFC", placed[position] + tones[0])
    return "".join(placed)


def place_tones(text: str) -> str:
    """NFC text with every tone mark where the new convention puts it."""
    return _WORD.sub(lambda match: _place_word_tone(match.group()), nfc(text))


@functools.lru_cache(maxsize=100_000)  # names: a few thousand, looked up again and again
def identity_key(text: str) -> str:
    """The key under which two spellings of a name are the same: tone placement,
    letter case and runs of spaces do not matter."""
    return " ".join(place_tones(text).casefold().split())


def fold(text: str) -> str:
    """Lower-case ASCII letters for matching without diacritics ("Đảng ủy" → "dang uy").
    "đ" has no decomposition, so it is mapped on purpose."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def slugify(text: str, max_length: int = 0) -> str:
    """ASCII slug; with max_length, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    if max_length:
        kept: list[str] = []
        for word in words:
            if kept and len("-".join([*kept, word])) > max_length:
                break
            kept.append(word)
        words = kept
    return "-".join(words)


def _letter_keys(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    primary, tones, cases = [], [], []
    for letter in place_tones(text):
        base, tone = _split_tone(letter)
        lower = base.lower()
        # Letters outside the alphabet (digits, f, j, w, z, punctuation) sort by code point
        # after it; spaces first, so that "An" comes before "Anh".
        if lower.isspace():
            primary.append(-1)
        else:
            primary.append(_LETTER_RANK.get(lower, len(ALPHABET) + ord(lower)))
        tones.append(TONE_MARKS.get(tone, 0))
        cases.append(0 if base == lower else 1)
    return tuple(primary), tuple(tones), tuple(cases)


def sort_key(text: str) -> tuple:
    """Vietnamese alphabetical order: letters first (a ă â b c d đ …), then tones
    (ngang, huyền, hỏi, ngã, sắc, nặng), then case."""
    return _letter_keys(" ".join(text.split()))


def person_sort_key(name: str) -> tuple:
    """People are ordered by given name (the last word), then by the rest."""
    words = name.split()
    return (sort_key(words[-1] if words else ""), sort_key(" ".join(words[:-1])))
