"""People named with their role in a bulletin's text.

The genre writes a participant in a few ways, all handled here:

- ROLE NAME: "Phó Chủ nhiệm Văn phòng Quốc hội Phạm Thúy Chinh", where a role may
  be several, comma-separated ("Tổng thư ký Quốc hội, Chủ nhiệm Văn phòng Quốc hội
  Nguyễn Hạnh Phúc");
- NAME - ROLE: "đồng chí Triệu Đình Lê - Phó Chủ tịch HĐND tỉnh";
- NAME, ROLE: "Bà Nguyễn Giang Tuệ Minh, Phó Chủ tịch Thường trực Công đoàn …", also in
  lists ("Tham dự có các đồng chí: Nguyễn Văn An, Phó Chủ tịch UBND tỉnh; …");
- NAME (ROLE).

Names are 2-5 capitalised syllables, usually led by a family name; a run of capitalised
words is split into the end of a role or a place and the name by the family names and
the place names below. A role starts at a title word (Bí thư, Chủ tịch, Ủy viên…) and
goes on while its words are those of the names of bodies.
"""

import re
from dataclasses import dataclass, field

from bantin.vietnamese import identity_key


def _keys(text: str) -> set[str]:
    return {identity_key(word) for word in text.split()}


def phrases(text: str) -> list[tuple[str, ...]]:
    items = [item.strip() for item in text.split(";") if item.strip()]
    return sorted(
        {tuple(identity_key(word) for word in item.split()) for item in items},
        key=len,
        reverse=True,
    )


SURNAMES = _keys(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lương Đinh "
    "Trịnh Đoàn Đào Mai Trương Cao Lâm Hà Tạ Tô Chu Châu Triệu La Lưu Quách Thái Tăng Từ "
    "Vương Khúc Kiều Lục Mạc Nông Phùng Âu Bạch Bế Cù Diệp Doãn Đàm Điểu Giáp Hầu Hứa "
    "Kha Khổng Khương Kim Lạc Lã Lò Lỗ Mã Mông Nghiêm Ninh Phí Quan Tiêu Thân Thạch Tôn "
    "Tống Trình Ưng Vi Sầm Nhan Lữ Đường Cấn Cung Đậu Lại Mẫn Ngụy Nguỵ Ôn Phương Quản "
    "Tào Thiều Trang Vòng Giang Hàn Hoàng Lang Lò Lô Lù Mạch Mè Quàng Sùng Thào Vàng "
    "Y H' Ksor Siu Rơ Nay Niê Kpă Đinh Hồ Khuất Đồng Ung Kha Nhữ Văng Vy Bạc Chung Đổng "
    "Lường Lèo Cầm Tòng Vì Giàng Mùa Vừ Ly Tẩn Chảo Bàn Ma Lộc Rmah Rcom Byă Êban Mlô"
)
COMMON_MIDDLE = _keys("Văn Thị Đình Hữu Ngọc Xuân Quang Thanh Minh Đức Công Thế Hồng Kim")
# Famous names that bulletins cite without the person taking part.
NOT_PARTICIPANTS = {
    identity_key(name)
    for name in (
        "Hồ Chí Minh",
        "Võ Nguyên Giáp",
        "Trần Hưng Đạo",
        "Lê Lợi",
        "Nguyễn Trãi",
        "Lý Thường Kiệt",
        "Nguyễn Huệ",
        "Tôn Đức Thắng",
        "Phạm Văn Đồng",
        "Lê Duẩn",
        "Trường Chinh",
        "Ngô Quyền",
    )
}
HONORIFICS = _keys("Ông Bà Anh Chị Cô Thầy Bác Cụ Em")
# Words after which capitalised words name a place ("tỉnh Hà Nam").
PLACE_WORDS = phrases(
    "tỉnh; thành phố; TP; Tp; huyện; quận; thị xã; xã; phường; thị trấn; thôn; bản; làng; "
    "ấp; đường; phố; khu phố; tổ dân phố; số; ngõ; tại"
)
PLACES = phrases(
    "Hà Nội; Hà Nam; Hà Giang; Hà Tĩnh; Hà Tây; Hà Đông; Lâm Đồng; Thái Bình; Thái Nguyên; "
    "Ninh Bình; Ninh Thuận; Cao Bằng; Đồng Nai; Đồng Tháp; Đồng Hới; Kiên Giang; Tiền Giang; "
    "Hậu Giang; Bắc Giang; An Giang; Lai Châu; Bạc Liêu; Gia Lai; Long An; Hồ Chí Minh; "
    "Thừa Thiên Huế; Bà Rịa Vũng Tàu; Bà Rịa - Vũng Tàu; Việt Nam; Hải Phòng; Đà Nẵng; "
    "Cần Thơ; Quảng Ninh; Quảng Nam; Quảng Ngãi; Quảng Bình; Quảng Trị; Nghệ An; Thanh Hóa; "
    "Thanh Hoá; Nam Định; Hưng Yên; Hải Dương; Bắc Ninh; Vĩnh Phúc; Phú Thọ; Tuyên Quang; "
    "Yên Bái; Lào Cai; Điện Biên; Sơn La; Hòa Bình; Hoà Bình; Lạng Sơn; Bắc Kạn; Khánh Hòa; "
    "Khánh Hoà; Phú Yên; Bình Định; Kon Tum; Đắk Lắk; Đắk Nông; Bình Phước; Bình Dương; "
    "Tây Ninh; Bình Thuận; Bến Tre; Trà Vinh; Vĩnh Long; Sóc Trăng; Cà Mau; Tây Nguyên; "
    "Trường Sa; Hoàng Sa; Thủ Đức"
)
# Titles a role starts with; "Phó", "Nguyên", "Quyền" may come before any of them.
ROLE_HEADS = phrases(
    "Tổng Bí thư; Bí thư; Chủ tịch; Chủ nhiệm; Trưởng; Giám đốc; Tổng Giám đốc; Ủy viên; "
    "Uỷ viên; Thành viên; Tổng thư ký; Thư ký; Chánh Văn phòng; Chánh án; Chánh Thanh tra; "
    "Viện trưởng; Hiệu trưởng; Đại biểu; Bộ trưởng; Thứ trưởng; Thủ tướng; Cục trưởng; "
    "Vụ trưởng; Tổng cục trưởng; Tỉnh ủy viên; Tỉnh uỷ viên; Thành ủy viên; Thành uỷ viên; "
    "Huyện ủy viên; Huyện uỷ viên; Kiểm sát viên; Thẩm phán; Tổng Biên tập; Chính ủy; "
    "Chính uỷ; Tư lệnh; Chỉ huy trưởng; Chuyên viên; Chi hội trưởng; Hội trưởng; Tổ trưởng; "
    "Đội trưởng; Khối trưởng; Giám thị; Kế toán trưởng; Chủ tọa; Chủ toạ; Đại tướng; "
    "Thượng tướng; Trung tướng; Thiếu tướng; Đại tá; Thượng tá; Trung tá; Thiếu tá; Đại úy; "
    "Đại uý; Thượng úy; Trung úy; Thiếu úy; Giáo sư; Tiến sĩ; Tiến sỹ; Thạc sĩ; Thạc sỹ; GS; "
    "PGS; TS; ThS; Nhà giáo; Nghệ sĩ; Nghệ nhân; Anh hùng; Mẹ Việt Nam Anh hùng; Già làng; "
    "Người có uy tín; Bác sĩ; Bác sỹ; Dược sĩ; Kỹ sư; Luật sư; Nhà báo; Phóng viên; Giáo viên; "
    "Giảng viên; Cựu chiến binh; Trưởng thôn; Trưởng bản; Trưởng ấp"
)
# Titles that only start a role right before a name ("đoàn viên Công đoàn Vụ … NAME").
LOWER_ROLE_HEADS = phrases(
    "đoàn viên; đảng viên; hội viên; cán bộ; công chức; viên chức; chuyên viên; nhân viên; "
    "giáo viên; phóng viên; cựu chiến binh; chiến sĩ; học sinh; sinh viên; người lao động; "
    "công nhân; nông dân; cử tri"
)
PREFIXES = _keys("Phó Nguyên Quyền")
# Lower-case syllables that occur inside the names of bodies and titles.
ROLE_SYLLABLES = _keys(
    "cơ quan tỉnh thành phố huyện quận xã phường thị trấn khối thi đua chi bộ đảng ủy uỷ "
    "viên công đoàn đơn vị các kiểm tra thường trực vụ trung ương nhân dân chuyên trách ban "
    "hội đồng văn phòng sở cục viện trường khoa ngành tổ liên lao động doanh nghiệp quốc "
    "chính phủ nhà nước tộc tuyên giáo vận nội kinh tế ngân sách pháp luật hóa hoá học nghệ "
    "dục đào tạo y tài tư an ninh phát triển nông thôn môi nguyên giao thông tải xây dựng "
    "thương binh nữ niên thanh cựu chiến mặt trận tịch nhiệm thư đốc trưởng ký chánh án sát "
    "lý sự tác tin truyền hiểm bạc hàng chế cứu quản điều hành chấp đạo hợp khu vực ngoại "
    "biên phòng quân cảnh bảo vệ số gia đình trẻ em đại biểu chuyên môn nghiệp kế hoạch đầu "
    "thống kê thuế hải kho đô thị miền núi tôn bào phong trào thanh giám lãnh phó hội viên "
    "nghị bí chủ cấp tập thể mạnh ủy ban uỷ ban thường vụ sinh niên phụ ương ban dân chức "
    "trực thuộc tịch điện tử báo chí xuất bản phát thanh truyền hình sản hiệp quốc phòng "
    "kiểm soát địa chất lượng công nghệ khoa học hành chính tổng hợp cán bộ người có công "
    "phân hiệu giám sát thẩm tra dân nguyện dân vận pháp chế cải cách tài nguyên môi trường trị"
)
# Words (one or two syllables) that end a role: verbs and linking words.
STOP_WORDS = phrases(
    "đồng chủ trì; đã; đang; sẽ; vừa; cũng; được; bị; có; là; cùng; với; tại; về; trong; cho; để; khi; "
    "thì; mà; nhưng; nên; này; đó; đến; tới; từ; theo; do; vì; như; nhằm; rất; không; "
    "phát biểu; chủ trì; chủ trị; chủ tọa; chủ toạ; báo cáo; trình bày; nhấn mạnh; cho biết; "
    "khẳng định; đề nghị; yêu cầu; trao; tặng; trao tặng; tham dự; dự; thông qua; kết luận; "
    "chỉ đạo; đánh giá; ghi nhận; biểu dương; chúc mừng; thăm; làm việc; thay mặt; giải trình; "
    "trả lời; tiếp thu; quán triệt; lưu ý; mong muốn; chia sẻ; đề xuất; nêu; phân tích; "
    "điều hành; tham luận; bày tỏ; cảm ơn; gửi; chứng kiến; nhận; bàn giao; giới thiệu; "
    "khai mạc; bế mạc; phát động; đọc; công bố; tuyên bố; ký kết; tổ chức; diễn ra; tiến hành; "
    "trực tiếp; đồng chí; các đồng chí; ông; bà; anh; chị; toàn thể; đông đảo; đại diện"
)
# Syllables that continue the word before them and never start what follows a name:
# "Đoàn Thanh niên" is a body, not Mr Đoàn Thanh.
COMPOUND_TAILS = _keys(
    "niên tra tịch nhiệm vụ chức phòng ban hội bộ ủy uỷ đoàn viên dân quốc giáo vận tế "
    "pháp sự chính nghiệp sách động binh trưởng thư đốc trận ương tộc nữ hiệp"
)
CHAIR = re.compile(r"^(?:đã\s+|cùng\s+)?(?:đồng\s+)?chủ\s*(?:trì|trị|tọa|toạ)\b", re.IGNORECASE)
CHAIR_BEFORE = re.compile(
    r"(?:chủ\s*(?:trì|trị|tọa|toạ)(?:\s+(?:của|bởi))?|chủ\s*(?:trì|tọa|toạ)[^.;]*?\b(?:có|là|gồm))"
    r"\s*(?:các\s+)?(?:đồng\s+chí|ông|bà|đ/c)?\s*:?\s*$",
    re.IGNORECASE,
)
_LIST_GAP = r"\s*(?:,|;|và|,\s*và)\s*(?:(?:đồng\s+chí|ông|bà)\s+)?"
_TOKEN = re.compile(r"[^\W\d_]+(?:[/'][^\W\d_]+)?|\d+(?:[.,]\d+)*|\S")
_ROMAN = re.compile(r"^[IVXLC]+$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return identity_key(self.text)

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()

    @property
    def is_capitalised(self) -> bool:
        """A capitalised syllable such as a name's: "Nguyễn", not "HĐND" or "nguyễn"."""
        return (
            self.is_word
            and self.text[0].isupper()
            and (len(self.text) == 1 or self.text[1:].islower())
            and not _ROMAN.match(self.text)
        )

    @property
    def is_acronym(self) -> bool:
        return self.is_word and len(self.text) > 1 and not self.text[1:].islower()

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit() or bool(_ROMAN.match(self.text))

    @property
    def is_lower(self) -> bool:
        return self.is_word and self.text.islower()


def tokenize(text: str) -> list[Token]:
    return [Token(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


@dataclass
class Mention:
    """One place where a person is named."""

    name: str
    role: str | None
    start: int  # of the whole mention, role included
    end: int
    name_start: int
    name_end: int
    uncertain: list[str] = field(default_factory=list)
    chair: bool = False


@dataclass
class Person:
    name: str
    role: str
    chair: bool = False
    uncertain: list[str] = field(default_factory=list)


def match_phrase(tokens: list[Token], index: int, phrases) -> int:
    """Length of the longest phrase of `phrases` starting at tokens[index], or 0."""
    for phrase in phrases:
        end = index + len(phrase)
        if end <= len(tokens) and all(
            tokens[index + offset].key == word for offset, word in enumerate(phrase)
        ):
            return len(phrase)
    return 0


def role_head_length(tokens: list[Token], index: int, *, lower_heads: bool = False) -> int:
    """Length of the title that starts a role at tokens[index] ("Phó Chủ tịch"), or 0."""
    start = index
    while index < len(tokens) and tokens[index].key in PREFIXES:
        index += 1
    length = match_phrase(tokens, index, ROLE_HEADS)
    if not length and lower_heads and index == start and index < len(tokens):
        length = match_phrase(tokens, index, LOWER_ROLE_HEADS)
    if length:
        return index - start + length
    if index > start and index < len(tokens) and tokens[index].is_word:
        # "Phó Khối Thi đua II": a deputy of a body is a title too.
        return index - start
    return 0


def _is_stop(tokens: list[Token], index: int) -> bool:
    return bool(match_phrase(tokens, index, STOP_WORDS))


def role_word(tokens: list[Token], index: int) -> bool:
    """May tokens[index] be part of a role or a body's name?"""
    token = tokens[index]
    if token.is_capitalised or token.is_acronym or token.is_number:
        return True
    if token.text in "&" or token.text in "-–":
        return True
    if token.is_lower:
        if _is_stop(tokens, index):
            return False
        if token.key == "của":
            return index + 1 < len(tokens) and tokens[index + 1].is_capitalised
        if token.key == "và":
            following = index + 1
            return (
                following < len(tokens)
                and (tokens[following].is_capitalised or tokens[following].is_acronym)
                and tokens[following].key not in HONORIFICS
                and not role_head_length(tokens, following)
            )
        return token.key in ROLE_SYLLABLES
    return False


def _name_runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """(start, end) token indexes of each run of capitalised words joined by spaces."""
    runs = []
    index = 0
    while index < len(tokens):
        if not tokens[index].is_capitalised:
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and tokens[end].is_capitalised:
            end += 1
        runs.append((index, end))
        index = end
    return runs


def _strip_places(tokens: list[Token], start: int, end: int) -> int:
    """Skip place names at the start of a run: "tỉnh Hà Nam Nguyễn Hoàng Sơn"."""
    after_place_word = any(
        start - len(phrase) >= 0
        and all(
            tokens[start - len(phrase) + offset].key == word for offset, word in enumerate(phrase)
        )
        for phrase in PLACE_WORDS
    )
    while start < end:
        length = match_phrase(tokens[:end], start, PLACES)
        if not length:
            break
        start += length
        after_place_word = False
    if (
        after_place_word
        and start < end
        and tokens[start].key in SURNAMES
        and end - start in (3, 4)
        and tokens[start + 1].key in COMMON_MIDDLE
    ):
        return start  # "Chủ tịch UBND tỉnh Hoàng Văn Nam": the place word ends the role
    if after_place_word and start < end:
        # An unknown place: two syllables, if a name of two or more is left after them.
        if end - start >= 4:
            return start + 2
        return end
    return start


def split_name(
    tokens: list[Token], start: int, end: int, *, honorific: bool
) -> tuple[int, list[str]] | None:
    """Where in the run tokens[start:end] the person's name starts, with doubts."""
    start = _strip_places(tokens, start, end)
    length = end - start
    if length < 2:
        return None
    if tokens[start].key in SURNAMES and length <= 5:
        return start, []
    candidates = [
        index
        for index in range(start, end - 1)
        if tokens[index].key in SURNAMES and end - index <= 4
    ]
    if honorific and length <= 5:
        if candidates and candidates[0] != start:
            return start, ["the name may include words of the role or a place before it"]
        return start, [] if tokens[start].key in SURNAMES else ["no known family name"]
    if not candidates:
        return None
    preferred = (
        [
            index
            for index in candidates
            if index + 1 < end and tokens[index + 1].key in COMMON_MIDDLE
        ]
        or [index for index in candidates if end - index == 3]
        or candidates
    )
    doubts = []
    if len(candidates) > 1:
        doubts.append("the role could not be separated from the name with certainty")
    return preferred[0], doubts


def find_mentions(text: str) -> list[Mention]:
    """Every person named in the text, with the role written there if any."""
    tokens = tokenize(text)
    mentions = []
    for run_start, run_end in _name_runs(tokens):
        start = run_start
        honorific = False
        if tokens[start].key in HONORIFICS and run_end - start >= 3:
            start += 1
            honorific = True
        elif start > 0 and tokens[start - 1].key in HONORIFICS | {"chí"}:
            honorific = tokens[start - 1].key != "chí" or (
                start > 1 and tokens[start - 2].key == "đồng"
            )
        if run_end < len(tokens) and tokens[run_end].key in COMPOUND_TAILS:
            continue  # the capitalised words begin the name of a body
        split = split_name(tokens, start, run_end, honorific=honorific)
        if split is None:
            continue
        name_start, doubts = split
        name = text[tokens[name_start].start : tokens[run_end - 1].end]
        if identity_key(name) in NOT_PARTICIPANTS:
            continue
        mention = _role_before(text, tokens, name_start, run_start)
        if mention is None:
            mention = _role_after(text, tokens, run_end)
        role, role_start, role_end, role_doubts = mention or (None, None, None, [])
        first = (
            tokens[name_start].start
            if role_start is None
            else min(role_start, tokens[name_start].start)
        )
        last = (
            tokens[run_end - 1].end if role_end is None else max(role_end, tokens[run_end - 1].end)
        )
        mentions.append(
            Mention(
                name=name,
                role=role,
                start=first,
                end=last,
                name_start=tokens[name_start].start,
                name_end=tokens[run_end - 1].end,
                uncertain=doubts + role_doubts,
            )
        )
    _mark_chairs(text, mentions)
    return mentions


def _role_before(text: str, tokens: list[Token], name_start: int, run_start: int):
    """ROLE NAME: the role written right before the name, over commas."""
    index = name_start
    # Capitalised words of the run before the name belong to the role ("… tỉnh Hà Nam").
    while index > 0 and (index > run_start or role_word(tokens, index - 1)):
        if (
            index <= run_start
            and tokens[index - 1].text in "-–"
            and not (index - 2 >= 0 and tokens[index - 2].is_word)
        ):
            break
        index -= 1
    head = None
    for position in range(index, name_start):
        if role_head_length(tokens, position, lower_heads=position == index):
            head = position
            break
    if head is None:
        return None
    role_start = head
    # Earlier titles of the same person, each before a comma: "Tổng thư ký Quốc hội, …".
    while role_start >= 2 and tokens[role_start - 1].text == ",":
        segment_end = role_start - 1
        segment_start = segment_end
        while segment_start > 0 and role_word(tokens, segment_start - 1):
            segment_start -= 1
        at_boundary = segment_start == 0 or tokens[segment_start - 1].text in '.;:()“”"!?,'
        if not (
            at_boundary
            and segment_start < segment_end
            and role_head_length(tokens, segment_start)
            and not _contains_name(tokens, segment_start, segment_end)
        ):
            break
        role_start = segment_start
    role = text[tokens[role_start].start : tokens[name_start - 1].end]
    return _clean_role(role), tokens[role_start].start, tokens[name_start - 1].end, []


def _contains_name(tokens: list[Token], start: int, end: int) -> bool:
    for run_start, run_end in _name_runs(tokens[start:end]):
        if split_name(tokens[start:end], run_start, run_end, honorific=False):
            return True
    return False


def _role_after(text: str, tokens: list[Token], name_end: int):
    """NAME - ROLE, NAME, ROLE or NAME (ROLE): the role written right after the name."""
    if name_end >= len(tokens):
        return None
    mark = tokens[name_end].text
    if mark not in ("-", "–", "—", ",", "("):
        return None
    start = name_end + 1
    if start >= len(tokens):
        return None
    has_head = bool(role_head_length(tokens, start))
    if mark in ",(" and not has_head:
        return None
    end = start
    doubts = []
    while end < len(tokens):
        if role_word(tokens, end) and not (
            tokens[end].text in "-–" and not (end + 1 < len(tokens) and tokens[end + 1].is_word)
        ):
            end += 1
            continue
        if tokens[end].text == "," and end + 1 < len(tokens):
            following = end + 1
            if role_head_length(tokens, following) or (
                mark != ","
                and (tokens[following].is_capitalised or tokens[following].is_acronym)
                and tokens[following].key not in HONORIFICS
                and not _starts_name(tokens, following)
            ):
                end += 1
                continue
        if (
            tokens[end].is_lower
            and end > start
            and tokens[end - 1].is_capitalised
            and not _is_stop(tokens, end)
        ):
            doubts.append(f"the role may be cut short before {tokens[end].text!r}")
        break
    while (end > start and tokens[end - 1].text in ",-–&") or (
        end > start and tokens[end - 1].key == "và"
    ):
        end -= 1
    if end <= start:
        return None
    if not has_head:
        doubts.append("the role has no title (Chủ tịch, Bí thư…): check it")
    role = text[tokens[start].start : tokens[end - 1].end]
    return _clean_role(role), tokens[start].start, tokens[end - 1].end, doubts


def _starts_name(tokens: list[Token], index: int) -> bool:
    end = index
    while end < len(tokens) and tokens[end].is_capitalised:
        end += 1
    return end - index >= 2 and tokens[index].key in SURNAMES


def _clean_role(role: str) -> str:
    return " ".join(role.split()).strip(" ,;:-–")


def _mark_chairs(text: str, mentions: list[Mention]) -> None:
    """Who presided: "NAME chủ trì", "A và B chủ trì", "dưới sự chủ trì của A và B"."""
    for index, mention in enumerate(mentions):
        before = text[: mention.start]
        if CHAIR_BEFORE.search(before[-120:]):
            mention.chair = True
        previous = mentions[index - 1] if index > 0 else None
        if previous and previous.chair:
            # "… chủ trì của A và B": B continues the list that A started.
            gap = text[previous.end : mention.start]
            if re.fullmatch(_LIST_GAP, gap, re.IGNORECASE):
                mention.chair = True
    for index in range(len(mentions) - 1, -1, -1):
        mention = mentions[index]
        after = text[mention.end :]
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        gap = text[mention.end : following.start] if following else ""
        if following and following.chair and re.fullmatch(_LIST_GAP, gap, re.IGNORECASE):
            mention.chair = True  # "A và B chủ trì"
        if CHAIR.match(after.lstrip(" ,")):
            mention.chair = True


def collect_participants(
    mentions: list[Mention], exclude: set[str]
) -> tuple[list[Person], list[str]]:
    """People in order of their first mention with a role, and names given no role."""
    people: dict[str, Person] = {}
    roleless: dict[str, str] = {}
    for mention in mentions:
        key = identity_key(mention.name)
        if key in exclude:
            continue
        if mention.role:
            if key not in people:
                people[key] = Person(
                    mention.name, mention.role, mention.chair, list(mention.uncertain)
                )
            elif mention.chair:
                people[key].chair = True
        else:
            roleless.setdefault(key, mention.name)
    missing = [name for key, name in roleless.items() if key not in people]
    return list(people.values()), missing
