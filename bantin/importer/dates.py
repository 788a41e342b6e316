"""Dates and times as old bulletins write them, day first.

A *date line* is a line that holds nothing but a date, an optional time and the words
sites put around them: "25/12/2020 11:52", "08:26 | 30/07/2015", "4:19 PM, 26/06/2019",
"16:44 01/04/2021", "Thứ Ba, 14/03/2023 - 09:15", "Cập nhật lúc 15:30 ngày 05/09/2022",
"Ngày 5 tháng 9 năm 2022", each with or without "(GMT+7)". A lead may also give the
date in its first sentence ("Chiều ngày 21/02/2014, …"): `find_lead_date` reads it.
Dates are returned as naive local times of the site's zone (Asia/Ho_Chi_Minh, +07:00).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SITE_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_DAY_MONTH_YEAR = (
    r"(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)"
)
_IN_WORDS = r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*,?\s*năm\s+(?P<y>\d{4})(?!\d)"
_ISO = r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"
DATE = re.compile(rf"(?<!\d)(?:{_DAY_MONTH_YEAR})", re.IGNORECASE)
DATE_IN_WORDS = re.compile(rf"(?<!\w){_IN_WORDS}", re.IGNORECASE)
DATE_ISO = re.compile(rf"(?<!\d){_ISO}")
TIME = re.compile(
    r"(?<![\d:])(?P<H>\d{1,2})\s*(?::|h|g|giờ)\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?(?!\d)"
    r"(?:\s*phút)?"
    r"(?:\s*(?P<ampm>a\.?m\.?|p\.?m\.?|SA|CH)(?![^\W\d_]))?",
    re.IGNORECASE,
)
OFFSET = re.compile(
    r"\(?\s*(?:GMT|UTC)\s*(?:(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?\s*\)?",
    re.IGNORECASE,
)
WEEKDAY = re.compile(
    r"(?<![^\W\d_])(?:thứ\s*(?P<name>hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|(?P<sunday>chủ\s*nhật|CN))(?![^\W\d_])",
    re.IGNORECASE,
)
_WEEKDAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5, "bẩy": 5}
_WEEKDAYS.update({str(n): n - 2 for n in range(2, 8)})
# Words that sites write around a date line and that say nothing else.
LABELS = re.compile(
    r"(?<![^\W\d_])(?:cập\s+nhật(?:\s+lúc)?|ngày\s+cập\s+nhật|ngày\s+đăng|đăng\s+ngày|đăng\s+lúc|"
    r"đăng\s+tải|ngày\s+xuất\s+bản|xuất\s+bản|thời\s+gian(?:\s+đăng)?|ngày|lúc|vào\s+lúc|"
    r"published|posted|updated|date)(?![^\W\d_])",
    re.IGNORECASE,
)
_RESIDUE = re.compile(r"^[\s|,;:\-–—/().·•]*$")
SITE_UPDATE = re.compile(r"^\s*cập\s+nhật\b", re.IGNORECASE)
# "Sáng ngày 21/02/2014", "Chiều 26/6/2019", "Ngày 5 tháng 9 năm 2022" in a lead.
_LEAD_DATE = re.compile(
    rf"(?<![^\W\d_])(?:(?:sáng|chiều|trưa|tối|đêm)\s+(?:nay\s+)?)?(?:(?:hôm\s+nay|ngày)\s*\(?\s*)?"
    rf"(?:{_DAY_MONTH_YEAR}|{_IN_WORDS.replace('(?P<', '(?P<w')})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    """A local date or time found in a bulletin, with the text it was read from."""

    value: dt.datetime  # naive, in the site's zone
    has_time: bool
    text: str
    warnings: tuple[str, ...] = field(default=())

    def iso(self) -> str:
        if self.has_time:
            return self.value.strftime("%Y-%m-%dT%H:%M")
        return self.value.strftime("%Y-%m-%d")


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _make_time(match: re.Match) -> dt.time | None:
    hour, minute = int(match["H"]), int(match["M"])
    second = int(match["S"] or 0)
    marker = (match["ampm"] or "").lower().replace(".", "")
    if marker:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if marker in ("pm", "ch") else 0)
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        return None


def _find_date(text: str) -> tuple[re.Match | None, dt.date | None]:
    """The one date written in the text (None when there is none or several)."""
    found = [*DATE.finditer(text), *DATE_IN_WORDS.finditer(text), *DATE_ISO.finditer(text)]
    # A date in words contains digits that the other patterns do not match, so
    # overlapping matches can only come from the same date: keep the longest.
    found.sort(key=lambda match: (match.start(), -len(match.group())))
    kept: list[re.Match] = []
    for match in found:
        if kept and match.start() < kept[-1].end():
            continue
        kept.append(match)
    if len(kept) != 1:
        return None, None
    match = kept[0]
    return match, _make_date(match["y"], match["m"], match["d"])


def parse_dateline(line: str, zone: ZoneInfo = SITE_ZONE) -> FoundDate | None:
    """The date (and time) of a line that holds only a date expression, else None.

    Never raises. A line with other words ("Hội nghị ngày 25/12/2020") is not a date
    line; a date that does not exist (30/02) is not a date."""
    text = " ".join(line.split())
    if not text or len(text) > 80:
        return None
    date_match, day = _find_date(text)
    if date_match is None or day is None:
        return None
    rest = text[: date_match.start()] + " " * len(date_match.group()) + text[date_match.end() :]
    times = list(TIME.finditer(rest))
    if len(times) > 1:
        return None
    moment = None
    if times:
        moment = _make_time(times[0])
        if moment is None:
            return None
        rest = rest[: times[0].start()] + " " + rest[times[0].end() :]
    offset = None
    for match in OFFSET.finditer(rest):
        if match.group().strip():
            if match["sign"]:
                minutes = int(match["oh"]) * 60 + int(match["om"] or 0)
                offset = dt.timedelta(minutes=minutes if match["sign"] == "+" else -minutes)
            rest = rest.replace(match.group(), " ", 1)
    warnings = []
    weekday = WEEKDAY.search(rest)
    if weekday:
        expected = 6 if weekday["sunday"] else _WEEKDAYS[weekday["name"].lower()]
        if expected != day.weekday():
            warnings.append(
                f"the date line says {weekday.group()!r}, but {day:%d/%m/%Y} was another day of the week"
            )
        rest = rest[: weekday.start()] + " " + rest[weekday.end() :]
    rest = LABELS.sub(" ", rest)
    if not _RESIDUE.match(rest):
        return None
    value = dt.datetime.combine(day, moment or dt.time())
    if offset is not None and moment is not None:
        local = value.replace(tzinfo=dt.timezone(offset)).astimezone(zone).replace(tzinfo=None)
        if local != value:
            warnings.append(f"{text!r} is in another time zone; written as {local:%H:%M} site time")
        value = local
    return FoundDate(value, moment is not None, text, tuple(warnings))


def is_site_update_line(line: str) -> bool:
    """A "Cập nhật …" line: the time a site last touched the page, not the article."""
    return bool(SITE_UPDATE.match(line))


def find_lead_date(text: str) -> FoundDate | None:
    """The first complete date (day, month and year) in a lead, date only."""
    for match in _LEAD_DATE.finditer(text):
        if match["d"]:
            day = _make_date(match["y"], match["m"], match["d"])
        else:
            day = _make_date(match["wy"], match["wm"], match["wd"])
        if day is not None:
            value = dt.datetime(day.year, day.month, day.day)
            return FoundDate(value, False, match.group().strip())
    return None
