"""From a bulletin's text to the parts of an article: title, date, event, bodies,
people, photo captions, byline, source, and the body with the site's junk removed.

Everything works on paragraphs: each non-empty source line is one paragraph, stripped of
the spaces (non-breaking ones included) around it. Body paragraphs are kept exactly as
published; only whole junk paragraphs, captions, the header and the byline leave the body.
"""

import logging
import re
from dataclasses import dataclass, field

from bantin.articles import EventKind
from bantin.importer.dates import FoundDate, find_lead_date, is_site_update_line, parse_dateline
from bantin.importer.participants import (
    HONORIFICS,
    Person,
    collect_participants,
    find_mentions,
    match_phrase,
    phrases,
    role_head_length,
    role_word,
    tokenize,
)
from bantin.vietnamese import identity_key

logger = logging.getLogger(__name__)

SUMMARY_MAX_LENGTH = 500
HEADER_WINDOW = 6
CAPTION_MAX_WORDS = 60

# Whole paragraphs that are the site's, not the article's.
_JUNK = re.compile(
    r"^(?:quay\s+(?:trở\s+)?lại(?:\s+đầu\s+trang)?|(?:trở\s+)?về\s+đầu\s+trang|lên\s+đầu\s+trang|"
    r"đầu\s+trang|trở\s+về|in\s+bài(?:\s+viết)?|bản\s+in|gửi\s+(?:bài\s+viết|email|cho\s+bạn\s+bè)|"
    r"chia\s+sẻ(?:\s+bài\s+viết)?|tweet|facebook|zalo|like|share|print|email|"
    r"(?:gửi\s+)?bình\s+luận|ý\s+kiến\s+bạn\s+đọc|xem\s+tiếp|cỡ\s+chữ|font\s+chữ|a\s*a\s*a|"
    r"(?:số\s+)?lượt\s+xem\s*:?\s*[\d.,]*|views?\s*:?\s*[\d.,]*|"
    r"trang\s+chủ(?:\s*[>»/|›].*)?|[.…·•*\-–—_|/\\]+)\s*:?$",
    re.IGNORECASE,
)
_GLUED_JUNK = re.compile(
    r"\s*(?:ý\s+kiến\s+bạn\s+đọc|quay\s+trở\s+lại\s+đầu\s+trang)\s*$", re.IGNORECASE
)
# A paragraph after which only other articles' titles follow.
_CUT = re.compile(
    r"^(?:tin\s+liên\s+quan|các\s+tin\s+khác|tin\s+khác|bài\s+viết\s+liên\s+quan|tin\s+bài\s+liên\s+quan|"
    r"tin\s+cùng\s+chuyên\s+mục|các\s+tin\s+đã\s+đưa|các\s+bài\s+viết\s+khác|tin\s+mới\s+hơn|tin\s+cũ\s+hơn)\s*:?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?P<label>tác\s+giả\s+bài\s+viết|tác\s+giả|người\s+viết|tin\s*,\s*ảnh|tin\s+và\s+ảnh|"
    r"tin\s*[-–/]\s*ảnh|bài\s*,\s*ảnh|bài\s+và\s+ảnh|bài\s*[-–/]\s*ảnh|tin\s+bài|bài|tin|"
    r"phóng\s+viên|nhóm\s+phóng\s+viên|nhóm\s+pv|thực\s+hiện|bài\s+viết)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(r"^(?:nguồn\s*:\s*|theo\s+)(?P<value>.{2,60}?)\s*\.?$", re.IGNORECASE)
_LEAD_SOURCE = re.compile(r"^\(\s*(?P<value>[^()]{2,40}?)\s*\)\s*[-–—:]")
_CREDIT = re.compile(
    r"(?:^|(?<=[\s.(\-–—]))\(?\s*(?:ảnh|nguồn\s+ảnh|ảnh\s+minh\s+họa|ảnh\s+minh\s+hoạ)\s*:\s*"
    r"(?P<credit>[^()]{2,60}?)\s*\)?\s*\.?$",
    re.IGNORECASE,
)
_SCENE = phrases(
    "Quang cảnh; Toàn cảnh; Các đại biểu; Đại biểu; Lãnh đạo; Đoàn công tác; Ban Chủ tọa; "
    "Đoàn Chủ tịch; Chủ tọa; Các đồng chí; Tiết mục; Một góc; Cảnh; Trao; Tặng; Chụp ảnh; "
    "Các thành viên; Các đảng viên; Đảng viên; Đoàn viên; Hội nghị; Buổi; Lễ; Đồng chí; Ông; Bà"
)
_CAPTION_VERBS = phrases(
    "phát biểu; báo cáo; trình bày; trả lời; trao; tặng; chủ trì; chủ trị; chủ tọa; chủ toạ; "
    "thông qua; điều hành; kết luận; chúc mừng; khai mạc; bế mạc; giải trình; tham luận; "
    "thăm; làm việc; phát động; quán triệt; chụp ảnh; dự; tham dự; biểu quyết; bỏ phiếu; "
    "ký kết; đọc; tặng hoa; gắn huy hiệu; đón; tiếp; giới thiệu; tuyên thệ; nhận"
)
_SPEECH = re.compile(r":\s|“|\"|\bđã\b|\bcho biết\b|\bnhấn mạnh\b|\bcho rằng\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’»)]*\s+(?=[“\"(]?[A-ZÀ-ỸĐ])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:TP|TS|ThS|PGS|GS|BS|KS|Th\.S|Tp|St|Q|P|Nxb|NXB|[A-ZĐ])\.$")
_ORG_HEADS = phrases(
    "Công đoàn; Ủy ban; Uỷ ban; UBND; HĐND; Hội đồng; Văn phòng; Đảng bộ; Đảng ủy; Đảng uỷ; "
    "Chi bộ; Sở; Bộ; Ban; Hội; Khối; Liên đoàn; Mặt trận; MTTQ; UBMTTQ; Trung tâm; Trường; "
    "Viện; Cục; Vụ; Tổng cục; Tỉnh ủy; Tỉnh uỷ; Thành ủy; Thành uỷ; Huyện ủy; Huyện uỷ; "
    "Quận ủy; Quận uỷ; Đảng đoàn; Ban cán sự; Tỉnh đoàn; Tỉnh Đoàn; Thành đoàn; Thành Đoàn; "
    "Huyện đoàn; Chi đoàn; Chi hội; Báo; Đài; Tòa án; Toà án; Viện kiểm sát; Kho bạc; "
    "Ngân hàng; Bảo hiểm; Công an; Bộ Chỉ huy; Quân khu; Học viện; Đại học; Phòng; "
    "Thanh tra; Câu lạc bộ; Tổng công ty; Công ty; Chính phủ; Quốc hội; LĐLĐ; Đoàn Thanh niên; "
    "Đoàn ĐBQH; Đoàn đại biểu Quốc hội; Hội Nông dân; Hội Liên hiệp Phụ nữ; Hội Cựu chiến binh; "
    "Thường trực; Ban Thường vụ; Ban Chấp hành; Ban Thường trực"
)
# Organisers named by a word for their leadership: "lãnh đạo và Công đoàn cơ quan X".
_LEADERSHIP = re.compile(
    r"^(?:lãnh\s+đạo|chính\s+quyền|thủ\s+trưởng|ban\s+giám\s+đốc|ban\s+lãnh\s+đạo)\s+và\s+",
    re.IGNORECASE,
)
_ORGANISER_VERB = re.compile(
    r"\s(?:(?:đã|vừa|sẽ)\s+)?(?:(?:phối\s+hợp|long\s+trọng|chính\s+thức|trọng\s+thể)\s+)*"
    r"(?:tổ\s+chức|khai\s+mạc|tiến\s+hành|họp|sinh\s+hoạt|diễn\s+ra)\b|\s+dưới\s+sự\s+chủ\s+trì",
    re.IGNORECASE,
)
_ADVERBIAL = re.compile(
    r"^(?:sáng|chiều|trưa|tối|ngày|hôm|trong|vào|nhằm|thực\s+hiện|để|sau|từ|qua|chiều\s+nay|sáng\s+nay)\b|\d",
    re.IGNORECASE,
)
_ASSEMBLY = re.compile(
    r"^(?:đại\s+hội|hội\s+nghị)\s+(?:đại\s+biểu\s+)?(?P<org>.+?)(?:\s+lần\s+thứ\b|\s*,|\s+nhiệm\s+kỳ\b|\s+khóa\b|\s+khoá\b|$)",
    re.IGNORECASE,
)
_VENUES = re.compile(
    r"\btại\s+(?P<place>(?:Hội trường|Trụ sở|trụ sở|Nhà|Trung tâm|Phòng họp|phòng họp|Khách sạn|"
    r"Cung|Văn phòng|hội trường|Nhà văn hóa|Nhà văn hoá)[^,.;]*?)(?=\s*[,.;]|\s+(?:với|nhằm|để|và)\s|$)"
)


class CannotImport(ValueError):
    """The text lacks something an article needs (a title, a date, an organisation)."""


@dataclass
class Paragraph:
    line: int  # 0-based line in the source file
    text: str  # the line, stripped

    @property
    def plain(self) -> str:
        return " ".join(self.text.split())


@dataclass
class Caption:
    caption: str
    credit: str | None
    certain: bool
    line: int


@dataclass
class Author:
    name: str
    role: str | None = None


@dataclass
class Bulletin:
    title: str
    date: FoundDate
    event: EventKind
    organizations: list[str]
    body: list[str]  # paragraphs, as published
    location: str | None = None
    participants: list[Person] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    source: str | None = None
    summary: str | None = None
    tags: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # how each field was found, for the report
    removed: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)


# --- paragraphs and junk -------------------------------------------------------------


def paragraphs_of(text: str) -> list[Paragraph]:
    return [
        Paragraph(number, line.strip())
        for number, line in enumerate(text.split("\n"))
        if line.strip()
    ]


def remove_junk(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[str]]:
    """The paragraphs without the site's junk, and a description of what went."""
    kept: list[Paragraph] = []
    removed: list[str] = []
    lone = 0
    for index, paragraph in enumerate(paragraphs):
        if _CUT.match(paragraph.plain):
            rest = len(paragraphs) - index - 1
            removed.append(
                f"line {paragraph.line + 1} {paragraph.plain!r} and the {rest} line(s) after it (other articles)"
            )
            break
        glued = _GLUED_JUNK.search(paragraph.text)
        if glued and glued.start() > 0:
            removed.append(
                f"{glued.group().strip()!r} glued to the end of line {paragraph.line + 1}"
            )
            paragraph = Paragraph(paragraph.line, paragraph.text[: glued.start()].rstrip())
        if _JUNK.match(paragraph.plain):
            if re.fullmatch(r"[.…·•*\-–—_|/\\]+", paragraph.plain):
                lone += 1
            else:
                removed.append(f"line {paragraph.line + 1}: {paragraph.plain!r}")
            continue
        if kept and kept[-1].plain == paragraph.plain:
            removed.append(f"line {paragraph.line + 1}: a repeat of the paragraph before it")
            continue
        kept.append(paragraph)
    if lone:
        removed.append(f"{lone} line(s) holding only punctuation such as '.'")
    return kept, removed


# --- sentences, words ----------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """Split after . ! ? … when a capital letter follows, except after abbreviations."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATION.search(candidate):
            continue
        parts.append(text[start : match.end()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def is_all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(not ch.islower() for ch in letters)


def restore_case(text: str, reference: str) -> str:
    """Sentence case for an ALL-CAPS text, with the capitals the reference text gives to
    the same words mid-sentence ("VĂN PHÒNG QUỐC HỘI" → "Văn phòng Quốc hội")."""
    tokens = re.findall(r"[^\W_]+|[^\w\s]+|\s+", text)
    word_indexes = [index for index, token in enumerate(tokens) if token[0].isalnum()]
    words = [tokens[index] for index in word_indexes]
    lowered_reference = reference.lower()
    resolved: list[str | None] = [None] * len(words)
    for size in range(min(6, len(words)), 0, -1):
        for first in range(0, len(words) - size + 1):
            if any(resolved[first : first + size]):
                continue
            phrase = words[first : first + size]
            pattern = (
                r"(?<!\w)" + r"\s+".join(re.escape(word.lower()) for word in phrase) + r"(?!\w)"
            )
            forms: dict[tuple[str, ...], int] = {}
            for match in re.finditer(pattern, lowered_reference):
                before = reference[: match.start()].rstrip()
                if not before or before[-1] in '.!?:\n“"':
                    continue  # a capital at the start of a sentence says nothing
                form = tuple(_words(reference[match.start() : match.end()]))
                if len(form) == size:
                    forms[form] = forms.get(form, 0) + 1
            if forms:
                best = max(forms.items(), key=lambda item: item[1])[0]
                resolved[first : first + size] = list(best)
    result = []
    for index, word in enumerate(words):
        form = resolved[index]
        if form is None:
            form = word if _looks_like_acronym(word) else word.lower()
        result.append(form)
    if result:
        result[0] = result[0][0].upper() + result[0][1:]
    for position, index in enumerate(word_indexes):
        tokens[index] = result[position]
    return "".join(tokens)


def _looks_like_acronym(word: str) -> bool:
    vowels = set("AĂÂEÊIOÔƠUƯYÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ")
    return word.isupper() and (
        not any(ch in vowels for ch in word) or re.fullmatch(r"[IVXLC]+", word)
    )


# --- header ------------------------------------------------------------------------


def _title_like(paragraph: Paragraph) -> bool:
    text = paragraph.plain
    return (
        len(text) <= 300
        and not text.endswith(":")
        and any(ch.isalpha() for ch in text)
        and parse_dateline(text) is None
        and not _BYLINE.match(text)
    )


@dataclass
class _Header:
    title: Paragraph
    kickers: list[Paragraph]
    date: FoundDate | None
    date_from: str
    site_date: FoundDate | None
    body_start: int


def read_header(paragraphs: list[Paragraph]) -> _Header:
    site_date = None
    start = 0
    if paragraphs and is_site_update_line(paragraphs[0].plain):
        site_date = parse_dateline(paragraphs[0].plain)
        if site_date is not None:
            start = 1
    window = paragraphs[start : start + HEADER_WINDOW]
    dated = next(
        (index for index, paragraph in enumerate(window) if parse_dateline(paragraph.plain)), None
    )
    if dated is None:
        if not window or not _title_like(window[0]):
            raise CannotImport("found no title: expected the headline on the first line")
        return _Header(window[0], [], None, "", site_date, start + 1)
    date = parse_dateline(window[dated].plain)
    before = [paragraph for paragraph in window[:dated] if _title_like(paragraph)]
    if before:
        title = before[-1]
        kickers = before[:-1]
        body_start = start + dated + 1
    else:
        after = window[dated + 1 : dated + 2]
        if not after or not _title_like(after[0]):
            raise CannotImport("found no title near the date line")
        title, kickers = after[0], []
        body_start = start + dated + 2
    return _Header(title, kickers, date, window[dated].plain, site_date, body_start)


# --- byline, source ------------------------------------------------------------------


def _name_like(text: str, *, min_words: int = 2) -> bool:
    tokens = tokenize(text)
    words = [token for token in tokens if token.is_word]
    if len(words) != len(tokens) or not min_words <= len(words) <= 5:
        return False
    if not all(token.is_capitalised for token in words):
        return False
    if role_head_length(tokens, 0) or match_phrase(tokens, 0, _ORG_HEADS):
        return False
    return not match_phrase(tokens, 0, _SCENE)


def parse_byline(value: str, *, labelled: bool) -> tuple[list[Author], str | None] | None:
    """Authors (and a photographer) from a byline such as "Bảo Yến - Minh Thành",
    "Văn Lượng – Ban Tuyên giáo, …" or "Tin: Thu Hà - Ảnh: Minh Đức"."""
    value = " ".join(value.split()).rstrip(".").strip()
    credit = None
    photo = re.search(r"\s*[-–—,;]?\s*ảnh\s*:\s*(?P<credit>.+)$", value, re.IGNORECASE)
    if photo and photo.start() > 0:
        credit = photo["credit"].strip()
        value = value[: photo.start()].strip()
    value = re.sub(r"^(?:tin|bài)\s*:\s*", "", value, flags=re.IGNORECASE)
    minimum = 1 if labelled else 2
    unit = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<unit>[^()]+)\)", value)
    if unit and _name_like(unit["name"], min_words=minimum):
        return [Author(unit["name"].strip(), unit["unit"].strip())], credit
    parts = [
        part.strip() for part in re.split(r"\s+[-–—]\s+|\s*[,;]\s*|\s+và\s+", value) if part.strip()
    ]
    if parts and all(_name_like(part, min_words=minimum) for part in parts):
        return [Author(part) for part in parts], credit
    dashed = re.split(r"\s+[-–—]\s+", value, maxsplit=1)
    if len(dashed) == 2 and _name_like(dashed[0], min_words=minimum):
        return [Author(dashed[0].strip(), dashed[1].strip())], credit
    return None


def _role_line(text: str) -> bool:
    tokens = tokenize(text)
    return (
        bool(tokens)
        and (bool(role_head_length(tokens, 0)) or bool(match_phrase(tokens, 0, _ORG_HEADS)))
        and len(text) <= 120
    )


def take_byline(
    paragraphs: list[Paragraph],
) -> tuple[list[Paragraph], list[Author], str | None, str | None, list[str]]:
    """Authors, photographer and source from the end of the text (and from a labelled
    line anywhere in it); returns the paragraphs without them."""
    authors: list[Author] = []
    credit = source = None
    notes: list[str] = []
    kept = list(paragraphs)
    for index in range(len(kept) - 1, -1, -1):
        paragraph = kept[index]
        labelled = _BYLINE.match(paragraph.plain)
        if labelled and len(paragraph.plain) <= 160:
            parsed = parse_byline(labelled["value"], labelled=True)
            if parsed:
                found, photo = parsed
                authors[:0] = found
                credit = credit or photo
                if "ảnh" in labelled["label"].lower():
                    credit = credit or found[0].name
                notes.append(f"byline {paragraph.plain!r} (line {paragraph.line + 1})")
                del kept[index]
    tail_checked = 0
    while kept and tail_checked < 3:
        tail_checked += 1
        last = kept[-1]
        source_line = _SOURCE_LINE.match(last.plain)
        if source_line and len(last.plain) <= 70:
            source = source or source_line["value"].strip()
            notes.append(f"source line {last.plain!r} (line {last.line + 1})")
            kept.pop()
            continue
        if authors:
            break
        if len(last.plain) <= 120:
            parsed = parse_byline(last.plain, labelled=False)
            if parsed:
                authors, photo = parsed
                credit = credit or photo
                notes.append(f"byline {last.plain!r} (line {last.line + 1})")
                kept.pop()
                break
            if len(kept) >= 2 and _role_line(last.plain) and _name_like(kept[-2].plain):
                authors = [Author(kept[-2].plain, last.plain.rstrip("."))]
                notes.append(
                    f"byline {kept[-2].plain!r} / {last.plain!r} (lines {kept[-2].line + 1}-{last.line + 1})"
                )
                del kept[-2:]
                break
        break
    return kept, authors, credit, source, notes


# --- captions ------------------------------------------------------------------------


def _strip_for_compare(text: str) -> str:
    return identity_key(re.sub(r"[^\w\s]", " ", text))


def _person_first(text: str) -> bool:
    """Does the text start with a person: "Đồng chí A, …", "Ông A", "Phó Chủ tịch … A"?"""
    mentions = find_mentions(text)
    if not mentions:
        return False
    first = mentions[0]
    prefix = text[: first.start].strip().rstrip(":")
    return prefix == "" or identity_key(prefix) in {"đồng chí", "đ/c", "các đồng chí"} | HONORIFICS


def classify_caption(paragraph: Paragraph, title: str) -> Caption | None:
    """A short line that describes a photo, or None for body text."""
    text = paragraph.plain
    credit = None
    marker = _CREDIT.search(text)
    if marker and marker.start() > 0:
        credit = marker["credit"].strip()
        text = text[: marker.start()].rstrip(" -–—(")
        return Caption(text, credit, True, paragraph.line)
    words = _words(text)
    if not words or len(words) > CAPTION_MAX_WORDS or text.endswith(":"):
        return None
    if re.match(r"^(?:[-+*•]|\d+[.)])\s", text):
        return None
    if _strip_for_compare(text) == _strip_for_compare(title):
        return Caption(text, None, True, paragraph.line)
    if len(sentences(text)) > 1 or _SPEECH.search(text):
        return None
    tokens = tokenize(text)
    scene = match_phrase(tokens, 0, _SCENE)
    person = _person_first(text)
    if not (scene or person):
        return None
    has_verb = any(match_phrase(tokens, index, _CAPTION_VERBS) for index in range(len(tokens)))
    starts_with_view = identity_key(" ".join(words[:2])) in {"quang cảnh", "toàn cảnh"}
    if not (has_verb or starts_with_view):
        return None
    ends_sentence = text.rstrip('”"’»)').endswith((".", "!", "?", "…"))
    return Caption(text, None, not ends_sentence, paragraph.line)


# --- event, organisations ------------------------------------------------------------


def find_event(
    texts: list[tuple[str, str]], kinds: tuple[EventKind, ...]
) -> tuple[EventKind, str, bool]:
    """The kind of event named first in the title, headings or lead (where, certain?).

    The first kind of the settings is the generic one (hội nghị): any other kind named in
    the same text is more precise ("Hội nghị đối thoại" is a dialogue)."""
    generic = kinds[0]
    for where, text in texts:
        key = _strip_for_compare(text)
        positions = []
        for kind in kinds:
            label = _strip_for_compare(kind.label)
            match = re.search(rf"(?<!\w){re.escape(label)}(?!\w)", key)
            if match:
                positions.append((match.start(), kind))
        specific = [item for item in positions if item[1] != generic]
        if specific:
            return min(specific, key=lambda item: item[0])[1], where, True
        if positions:
            return generic, where, True
    for where, text in texts:
        words = set(_strip_for_compare(text).split())
        for kind in kinds:
            if len(kind.label.split()) > 1 and set(_strip_for_compare(kind.label).split()) <= words:
                return kind, where, False
    return generic, "", False


def _org_phrase(text: str) -> str | None:
    """The body named at the start of the text: "Công đoàn VPQH sẽ …" → "Công đoàn VPQH"."""
    tokens = tokenize(text)
    if not tokens or not (match_phrase(tokens, 0, _ORG_HEADS)):
        return None
    end = 0
    while end < len(tokens) and (role_word(tokens, end) and tokens[end].text not in "-–"):
        end += 1
    while end > 0 and (
        tokens[end - 1].key in {"và", "của"}
        or (not tokens[end - 1].is_word and not tokens[end - 1].is_number)
    ):
        end -= 1
    if end < 2:
        return None
    return text[tokens[0].start : tokens[end - 1].end]


def _org_like(text: str) -> bool:
    """Is the whole text the name of a body ("Sở Văn hóa, Thể thao và Du lịch")?"""
    tokens = tokenize(text)
    return (
        bool(tokens)
        and bool(match_phrase(tokens, 0, _ORG_HEADS))
        and len(tokens) <= 25
        and all(token.text == "," or role_word(tokens, index) for index, token in enumerate(tokens))
    )


def _parent(org: str) -> str | None:
    """The body an organisation belongs to, named inside its name:
    "Công đoàn cơ quan Văn phòng Quốc hội" → "Văn phòng Quốc hội"."""
    tokens = tokenize(org)
    first = match_phrase(tokens, 0, _ORG_HEADS) or 1
    for index in range(first, len(tokens)):
        if (
            tokens[index].key == "đoàn"
            and identity_key(tokens[index].text) == "đoàn"
            and tokens[index].is_capitalised
        ):
            continue
        if index == first and tokens[index - 1].key == "ban" and tokens[index].key == "mặt":
            continue  # "Ủy ban Mặt trận Tổ quốc" is one name
        if (tokens[index].is_capitalised or tokens[index].is_acronym) and match_phrase(
            tokens, index, _ORG_HEADS
        ):
            parent = org[tokens[index].start :]
            if len(tokenize(parent)) >= 2:
                return parent
            return None
    return None


def find_organizations(
    lead: str, title: str, kickers: list[str], reference: str
) -> tuple[list[str], str | None, list[str]]:
    """The organisers (from the lead's "X tổ chức …", else the title's subject, and any
    "Đại hội …" heading), the location, and what the editor should check."""
    organizations: list[str] = []
    doubts: list[str] = []
    location = None
    first = sentences(lead)[0] if lead else ""
    first = _LEAD_SOURCE.sub("", first).strip()
    verb = _ORGANISER_VERB.search(first)
    if verb:
        clauses = [clause.strip() for clause in first[: verb.start()].split(",")]
        for clause in clauses[:-1]:
            place = re.match(r"^tại\s+(?P<place>[A-ZÀ-ỸĐ].*)$", clause)
            if place:
                location = place["place"].strip()
        subject = clauses[-1]
        while len(clauses) > 1 and not match_phrase(tokenize(subject), 0, _ORG_HEADS):
            previous = clauses[-2]
            if _ADVERBIAL.match(previous) or previous.lower().startswith("tại "):
                break
            clauses.pop()
            subject = f"{clauses[-1]}, {subject}"
            if match_phrase(tokenize(previous), 0, _ORG_HEADS):
                break
        partners = re.split(
            r"\s+(?:phối\s+hợp|cùng|phối\s+hợp\s+cùng)\s+với\s+", subject, maxsplit=1
        )
        if len(partners) == 2 and all(_org_like(part) for part in partners):
            organizations += partners
            subject = ""
        leadership = _LEADERSHIP.match(subject)
        if leadership:
            child = subject[leadership.end() :].strip()
            parent = _parent(child)
            if _org_like(child):
                if parent:
                    organizations.append(re.sub(r"^cơ\s+quan\s+", "", parent))
                organizations.append(child)
        elif subject and _org_like(subject):
            organizations.append(subject)
            parent = _parent(subject)
            if parent:
                organizations.append(re.sub(r"^cơ\s+quan\s+", "", parent))
    if location is None:
        venue = _VENUES.search(first)
        if venue:
            location = venue["place"].strip()
    if not organizations:
        subject = _org_phrase(title) if not is_all_caps(title) else None
        if subject:
            organizations.append(subject)
    for heading in [title, *kickers]:
        assembly = _ASSEMBLY.match(" ".join(heading.split()))
        if not assembly:
            continue
        org = assembly["org"].strip()
        capitals = is_all_caps(org)
        if capitals:
            org = restore_case(org, reference)
        if match_phrase(tokenize(org), 0, _ORG_HEADS):
            organizations.append(org)
            if capitals:
                doubts.append(f"organisation {org!r} was written in capitals: check its spelling")
    if not organizations:
        for text in (first, lead):
            tokens = tokenize(text)
            for index in range(len(tokens)):
                if tokens[index].is_capitalised and match_phrase(tokens, index, _ORG_HEADS):
                    phrase = _org_phrase(text[tokens[index].start :])
                    if phrase:
                        organizations.append(phrase)
                        doubts.append(
                            f"organisation {phrase!r} is only the first body the lead names"
                        )
                        break
            if organizations:
                break
    unique: dict[str, str] = {}
    for org in organizations:
        unique.setdefault(identity_key(org), org)
    return list(unique.values()), location, doubts


def summary_of(lead: str) -> str:
    """The lead, cut after a sentence so that it stays within SUMMARY_MAX_LENGTH."""
    text = " ".join(lead.split())
    kept = ""
    for sentence in sentences(text):
        candidate = f"{kept} {sentence}".strip()
        if kept and len(candidate) > SUMMARY_MAX_LENGTH:
            break
        kept = candidate
    return kept


# --- the whole bulletin --------------------------------------------------------------


def extract_bulletin(
    text: str, *, event_kinds: tuple[EventKind, ...], sentence_case: bool = False
) -> Bulletin:
    """Read the article out of a bulletin's normalised text."""
    paragraphs, removed = remove_junk(paragraphs_of(text))
    if not paragraphs:
        raise CannotImport("the file holds no text")
    header = read_header(paragraphs)
    found: list[str] = []
    uncertain: list[str] = []
    title_text = header.title.plain
    body_paragraphs = paragraphs[header.body_start :]
    for kicker in header.kickers:
        removed.append(f"heading above the title (line {kicker.line + 1}): {kicker.plain!r}")
    if header.site_date is not None:
        removed.append(
            f"the site's own header {paragraphs[0].plain!r} (line {paragraphs[0].line + 1})"
        )

    body_paragraphs, authors, credit, source, byline_notes = take_byline(body_paragraphs)
    removed.extend(f"moved to the metadata: {note}" for note in byline_notes)

    captions: list[Caption] = []
    body: list[Paragraph] = []
    for paragraph in body_paragraphs:
        # Before the lead, only a credited caption or the title repeated is a caption.
        if body:
            caption = classify_caption(paragraph, title_text)
        else:
            caption = _leading_caption(paragraph, title_text)
        if caption is not None:
            captions.append(caption)
        else:
            body.append(paragraph)
    if not body:
        raise CannotImport("found no body text after the title")
    lead = body[0].plain
    reference = "\n".join(paragraph.plain for paragraph in body)

    # Date: the date line, else the lead, else the site's header.
    date = header.date
    if date is not None:
        found.append(f"date from {header.date_from!r}")
        uncertain.extend(date.warnings)
    else:
        date = find_lead_date(lead)
        if date is not None:
            found.append(f"date from the lead: {date.text!r}")
            uncertain.append(
                f"date {date.iso()} was guessed from the lead ({date.text!r}): check it"
            )
        elif header.site_date is not None:
            date = header.site_date
            uncertain.append(
                f"date {date.iso()} is the site's 'Cập nhật' header, which may be later than the article: check it"
            )
        else:
            raise CannotImport(
                "found no date: expected a date line under the title or a date in the lead"
            )

    title = title_text
    if is_all_caps(title):
        restored = restore_case(title, reference)
        if sentence_case:
            title = restored
            found.append(
                f"title in capitals, written in sentence case (as published: {title_text!r})"
            )
            uncertain.append("title: sentence case was guessed from the body; check the capitals")
        else:
            found.append(
                f"title in capitals, kept as published (with --sentence-case: {restored!r})"
            )

    texts = [("the title", title_text)]
    texts += [("the heading above the title", kicker.plain) for kicker in header.kickers]
    texts.append(("the lead", sentences(lead)[0]))
    event, where, certain = find_event(texts, event_kinds)
    if where and certain:
        found.append(f"event {event.label.lower()!r} from {where}")
    elif where:
        uncertain.append(
            f"event {event.label.lower()!r} guessed from the words of {where}: check it"
        )
    else:
        uncertain.append(
            f"no kind of event recognised; {event.label.lower()!r} was chosen as the default: check it"
        )

    organizations, location, org_doubts = find_organizations(
        lead, title_text, [kicker.plain for kicker in header.kickers], reference
    )
    uncertain.extend(org_doubts)
    if not organizations:
        raise CannotImport(
            "found no organisation in the lead or the title: add the article by hand"
        )

    lead_source = _LEAD_SOURCE.match(lead)
    if lead_source and _source_like(lead_source["value"]):
        source = source or lead_source["value"]

    # People: in the order of the text, captions included; authors only are not participants.
    ordered = sorted(
        [(paragraph.line, paragraph.plain) for paragraph in body]
        + [(caption.line, caption.caption) for caption in captions]
    )
    mentions = []
    for _, paragraph_text in [(0, title_text), *ordered]:
        mentions.extend(find_mentions(paragraph_text))
    excluded = {identity_key(author.name) for author in authors}
    excluded |= {identity_key(caption.credit) for caption in captions if caption.credit}
    if credit:
        excluded.add(identity_key(credit))
    participants, roleless = collect_participants(mentions, excluded)
    for person in participants:
        for doubt in person.uncertain:
            uncertain.append(f"participant {person.name} ({person.role}): {doubt}")
    for name in roleless:
        uncertain.append(
            f"{name} is named without a role, so is not listed as a participant: check it"
        )

    for caption in captions:
        if caption.credit is None and credit:
            caption.credit = credit
        if not caption.certain:
            uncertain.append(
                f"line {caption.line + 1} was taken as a photo caption but might be body text: {caption.caption!r}"
            )
    removed.extend(
        f"photo caption (line {caption.line + 1}): {caption.caption!r}" for caption in captions
    )

    return Bulletin(
        title=title,
        date=date,
        event=event,
        organizations=organizations,
        body=[paragraph.text for paragraph in body],
        location=location,
        participants=participants,
        captions=captions,
        authors=authors,
        source=source,
        summary=summary_of(lead),
        found=found,
        removed=removed,
        uncertain=uncertain,
    )


def _leading_caption(paragraph: Paragraph, title: str) -> Caption | None:
    """Before the lead only a credited caption or the title repeated can be a caption."""
    caption = classify_caption(paragraph, title)
    if caption is not None and (
        caption.credit or _strip_for_compare(caption.caption) == _strip_for_compare(title)
    ):
        return caption
    return None


def _source_like(value: str) -> bool:
    value = value.strip()
    return bool(
        re.search(r"\.(?:vn|com|net|org|gov)\b", value, re.IGNORECASE)
        or re.fullmatch(r"[A-ZĐ]{2,10}", value)
        or re.match(r"(?:báo|cổng|đài|tạp chí|thông tấn)\b", value, re.IGNORECASE)
    )


__all__ = [
    "Author",
    "Bulletin",
    "CannotImport",
    "Caption",
    "extract_bulletin",
    "parse_byline",
    "remove_junk",
    "restore_case",
    "sentences",
]
