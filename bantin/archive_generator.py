"""Realistic synthetic archives for the benchmark: Vietnamese articles of 600-1,200
words from 2005 to 2026, with the event kinds, ~300 organisations, ~3,000 people who
appear again and again (spelled with either tone placement), ~200 topics, some text in
NFD; written both in the Bản tin model and in stock Pelican's metadata format, so that
both tools build the same articles.

The words come from the sample bulletins in content/, so the text has the syllable
frequencies of real bulletins.
"""

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bantin.articles import split_front_matter
from bantin.vietnamese import slugify

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Triệu",
    "La",
    "Thái",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Ngọc",
    "Thanh",
    "Hữu",
    "Quang",
    "Thúy",
    "Hoài",
    "Xuân",
    "Kim",
    "Anh",
    "Đình",
    "Trọng",
]
GIVEN = [
    "An",
    "Bình",
    "Chinh",
    "Dũng",
    "Đức",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Hùng",
    "Hưng",
    "Khánh",
    "Lan",
    "Lê",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thảo",
    "Thủy",
    "Tuấn",
    "Uyên",
    "Vinh",
    "Yến",
    "Khoa",
    "Thúy",
    "Toản",
    "Hậu",
    "Lượng",
    "Nhung",
]
ROLES = [
    "Phó Chủ tịch HĐND tỉnh",
    "Chủ tịch Công đoàn cơ quan",
    "Bí thư Chi bộ",
    "Phó Bí thư Đảng ủy",
    "Chánh Văn phòng",
    "Phó Chủ nhiệm Ủy ban",
    "Trưởng ban Dân vận",
    "Uỷ viên Thường trực",
    "Phó Trưởng Đoàn ĐBQH tỉnh",
    "Giám đốc Sở Nội vụ",
]
BODIES = [
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh {}",
    "Công đoàn Viên chức tỉnh {}",
    "Ủy ban MTTQ tỉnh {}",
    "Đảng ủy Khối các cơ quan tỉnh {}",
    "Hội Cựu chiến binh tỉnh {}",
    "Sở Nội vụ tỉnh {}",
]
PLACES = [
    "Hà Nam",
    "Nghệ An",
    "Thanh Hóa",
    "Quảng Ninh",
    "Lào Cai",
    "Cao Bằng",
    "Đắk Lắk",
    "Bình Định",
    "Hòa Bình",
    "Phú Thọ",
    "Thái Bình",
    "Nam Định",
    "Hà Tĩnh",
    "Quảng Bình",
    "Kon Tum",
    "Gia Lai",
    "Lâm Đồng",
    "Bến Tre",
    "Cà Mau",
    "An Giang",
    "Sóc Trăng",
    "Hậu Giang",
    "Tây Ninh",
    "Long An",
    "Đồng Nai",
    "Bắc Ninh",
    "Hải Dương",
    "Hưng Yên",
    "Ninh Bình",
    "Yên Bái",
    "Sơn La",
    "Điện Biên",
    "Lai Châu",
    "Hà Giang",
    "Tuyên Quang",
    "Bắc Kạn",
    "Lạng Sơn",
    "Thái Nguyên",
    "Vĩnh Phúc",
    "Bắc Giang",
    "Quảng Trị",
    "Quảng Nam",
    "Quảng Ngãi",
    "Phú Yên",
    "Khánh Hòa",
    "Ninh Thuận",
    "Bình Thuận",
    "Đắk Nông",
    "Bình Phước",
    "Tiền Giang",
]
TOPICS = [
    "công đoàn",
    "đối thoại",
    "thi đua",
    "cải cách hành chính",
    "văn hoá công sở",
    "chuyển đổi số",
    "dân vận",
    "giám sát",
    "tiếp xúc cử tri",
    "phòng chống tham nhũng",
]
RARE_PERSON = "Tôn Nữ Thị Xuyến"
OLD_TO_NEW = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "òe": "oè",
    "óe": "oé",
    "ỏe": "oẻ",
    "ọe": "oẹ",
    "úy": "uý",
    "ùy": "uỳ",
    "ủy": "uỷ",
    "ũy": "uỹ",
    "ụy": "uỵ",
}


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    titles: list[str]


def vocabulary(content: Path) -> Vocabulary:
    words, titles = [], []
    for path in sorted((content / "bai-viet").glob("*.md")):
        block, body = split_front_matter(path.read_text(encoding="utf-8"))
        titles.append(yaml.safe_load(block)["title"])
        words += re.findall(r"\w+[.,;:]?", body)
    return Vocabulary(words, titles)


def _respell(text: str, rng: random.Random) -> str:
    """The other tone placement for some words, and now and then a paragraph in NFD."""
    if rng.random() < 0.3:
        for old, new in OLD_TO_NEW.items():
            text = text.replace(old, new)
    return unicodedata.normalize("NFD", text) if rng.random() < 0.05 else text


def generate(folder: Path, count: int, content: Path, seed: int = 2026) -> tuple[Path, Path]:
    """Write count articles as <folder>/bantin/content/bai-viet/*.md and
    <folder>/pelican/content/*.md; return both content folders."""
    rng = random.Random(seed)
    words = vocabulary(content)
    people = [f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(3000)]
    bodies = sorted({body.format(place) for body in BODIES for place in PLACES})[:300]
    topics = [f"{topic} {place}" for topic in TOPICS for place in PLACES[:20]][:200]
    kinds = [
        "hội nghị",
        "hội thảo",
        "tọa đàm",
        "sinh hoạt chi bộ",
        "sinh hoạt chuyên đề",
        "đại hội",
        "đối thoại",
    ]
    ours, stock = folder / "bantin" / "content", folder / "pelican" / "content"
    (ours / "bai-viet").mkdir(parents=True, exist_ok=True)
    (ours / "anh").mkdir(parents=True, exist_ok=True)
    stock.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2005, 1, 1, 7, 0)
    span = (dt.datetime(2026, 10, 31) - start).total_seconds()
    for number in range(count):
        date = start + dt.timedelta(seconds=rng.random() * span)
        date = date.replace(second=0, microsecond=0)
        title = f"{rng.choice(kinds).capitalize()} {' '.join(rng.choices(words.words, k=rng.randint(6, 12)))}".rstrip(
            ".,;:"
        )
        title = re.sub(r"[.,;:]", "", title)
        slug = f"{slugify(title, 60)}-{number}"
        paragraphs = []
        remaining = rng.randint(600, 1200)
        while remaining > 0:
            length = min(remaining, rng.randint(40, 120))
            paragraphs.append(_respell(" ".join(rng.choices(words.words, k=length)), rng))
            remaining -= length
        participants = [
            {"name": _respell(person, rng), "role": rng.choice(ROLES)}
            for person in rng.sample(people, rng.randint(2, 7))
        ]
        participants[0]["chair"] = True
        if number % 2500 == 0:  # someone rare, for the benchmark's rare-name search
            participants.append({"name": RARE_PERSON, "role": "Đại biểu"})
        organizations = rng.sample(bodies, rng.randint(1, 3))
        tags = rng.sample(topics, rng.randint(1, 4))
        authors = rng.sample(people[:200], rng.randint(1, 2))
        kind = rng.choice(kinds)
        front = {
            "title": title,
            "slug": slug,
            "date": f"{date:%Y-%m-%dT%H:%M}",
            "event": kind,
            "organizations": organizations,
            "participants": participants,
            "authors": authors,
            "summary": paragraphs[0][:300],
            "tags": tags,
        }
        body = "\n\n".join(paragraphs)
        name = f"{date:%Y-%m-%d}-{slug}.md"
        (ours / "bai-viet" / name).write_text(
            f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n\n{body}\n",
            encoding="utf-8",
        )
        stock_meta = [
            f"Title: {title}",
            f"Slug: {slug}",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Category: {kind}",
            f"Tags: {', '.join(tags)}",
            f"Authors: {', '.join(authors)}",
            f"Summary: {front['summary']}",
        ]
        (stock / name).write_text("\n".join(stock_meta) + "\n\n" + body + "\n", encoding="utf-8")
    return ours, stock
