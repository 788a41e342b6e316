"""The importer's date parser reads the date lines of old bulletins, day first, and
refuses anything that is not only a date."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bantin.importer.dates import find_lead_date, is_site_update_line, parse_dateline


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("25/12/2020 11:52", "2020-12-25T11:52"),
        ("08:26 | 30/07/2015", "2015-07-30T08:26"),
        ("4:19 PM, 26/06/2019", "2019-06-26T16:19"),
        ("16:44 01/04/2021", "2021-04-01T16:44"),
        ("Thứ Ba, 14/03/2023 - 09:15", "2023-03-14T09:15"),
        ("Cập nhật lúc 15:30 ngày 05/09/2022", "2022-09-05T15:30"),
        ("Cập nhật 00:19 | 10/04/2020 (GMT+7)", "2020-04-10T00:19"),
        ("Thứ năm, 05/03/2020 08:00 GMT+7", "2020-03-05T08:00"),
        ("Ngày 5 tháng 9 năm 2022", "2022-09-05"),
        ("11h52 ngày 25-12-2020", "2020-12-25T11:52"),
        ("25.12.2020", "2020-12-25"),
        ("12:05 AM 01/01/2020", "2020-01-01T00:05"),
        ("12:30 CH, 01/01/2020", "2020-01-01T12:30"),
        ("Ngày đăng: 01/01/2020", "2020-01-01"),
    ],
)
def test_date_lines_of_the_genre_are_read_day_first(line, iso):
    assert parse_dateline(line).iso() == iso


@pytest.mark.parametrize(
    "line",
    [
        "Hội nghị ngày 25/12/2020",  # a sentence, not a date line
        "30/02/2020 10:00",  # no such day
        "25/12/2020 25:61",  # no such time
        "13:00 PM, 01/01/2020",  # no such 12-hour time
        "25/12/2020 và 26/12/2020",  # two dates
        "",
    ],
)
def test_what_is_not_only_a_date_is_not_a_date_line(line):
    assert parse_dateline(line) is None


def test_another_time_zone_is_written_in_site_time_and_reported():
    found = parse_dateline("25/12/2020 11:52 (GMT+0)")
    assert found.iso() == "2020-12-25T18:52"
    assert "another time zone" in found.warnings[0]


def test_a_weekday_that_does_not_match_the_date_is_reported():
    assert "another day of the week" in parse_dateline("Thứ Hai, 14/03/2023 09:15").warnings[0]


def test_the_sites_update_header_is_recognised():
    assert is_site_update_line("Cập nhật 00:19 | 10/04/2020 (GMT+7)")
    assert not is_site_update_line("25/12/2020 11:52")


def test_a_date_in_the_lead_is_date_only():
    found = find_lead_date("Chiều ngày 21/02/2014, Chính quyền và Công đoàn tổ chức hội nghị.")
    assert (found.iso(), found.text) == ("2014-02-21", "Chiều ngày 21/02/2014")


def test_a_lead_date_without_a_year_is_not_a_date():
    assert find_lead_date("Chiều 26/6, Khối thi đua II tổ chức Tọa đàm.") is None


WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
moments = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 12, 31))


def _date(moment: dt.datetime, style: int, pad: bool) -> str:
    day, month = (f"{moment.day:02d}", f"{moment.month:02d}") if pad else (moment.day, moment.month)
    return [
        f"{day}/{month}/{moment.year}",
        f"{day}-{month}-{moment.year}",
        f"{day}.{month}.{moment.year}",
        f"ngày {moment.day} tháng {moment.month} năm {moment.year}",
    ][style]


def _time(moment: dt.datetime, style: int) -> str:
    hour12 = moment.hour % 12 or 12
    return [
        f"{moment.hour:02d}:{moment.minute:02d}",
        f"{moment.hour}h{moment.minute:02d}",
        f"{hour12}:{moment.minute:02d} {'PM' if moment.hour >= 12 else 'AM'}",
    ][style]


@given(
    moment=moments,
    date_style=st.integers(0, 3),
    time_style=st.integers(0, 2),
    pad=st.booleans(),
    layout=st.integers(0, 4),
    weekday=st.booleans(),
    zone=st.sampled_from(["", " (GMT+7)", " GMT+7"]),
)
def test_any_written_date_and_time_reads_back(
    moment, date_style, time_style, pad, layout, weekday, zone
):
    moment = moment.replace(second=0, microsecond=0)
    date, time = _date(moment, date_style, pad), _time(moment, time_style)
    line = [
        f"{date} {time}",
        f"{time} | {date}",
        f"{time}, {date}",
        f"{date} - {time}",
        f"Cập nhật lúc {time} {date}",
    ][layout]
    if weekday:
        line = f"{WEEKDAYS[moment.weekday()]}, {line}"
    found = parse_dateline(line + zone)
    assert found is not None, line
    assert (found.value, found.has_time, found.warnings) == (moment, True, ())


@given(moment=moments, date_style=st.integers(0, 3), pad=st.booleans())
def test_a_date_alone_reads_back_without_a_time(moment, date_style, pad):
    found = parse_dateline(_date(moment, date_style, pad))
    assert (found.value.date(), found.has_time) == (moment.date(), False)


@given(st.text(max_size=120))
def test_the_parser_never_raises_and_only_returns_real_dates(text):
    found = parse_dateline(text)
    if found is not None:
        assert found.value.year >= 1000
        assert found.iso()[:4].isdigit()
    find_lead_date(text)


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1990, 2040))
def test_a_day_that_does_not_exist_is_never_a_date(day, month, year):
    try:
        dt.date(year, month, day)
    except ValueError:
        assert parse_dateline(f"{day:02d}/{month:02d}/{year}") is None
    else:
        assert parse_dateline(f"{day:02d}/{month:02d}/{year}").value.date() == dt.date(
            year, month, day
        )
