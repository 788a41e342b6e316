"""The theme in the site's language: gettext for its strings (bantin.i18n), Babel for
its dates. Dates use Babel's CLDR data, because this machine (like many servers) has no
vi_VN system locale.
"""

import datetime as dt
from functools import cache
from pathlib import Path

from babel.dates import format_datetime, format_skeleton
from pelican import signals

from bantin.i18n import translations

# Babel's default Vietnamese pattern puts the time first; these read as bulletins do:
# "Thứ Sáu, 25/12/2020, 11:52".
DEFAULT_PATTERNS = {
    "datetime": "EEEE, dd/MM/yyyy, HH:mm",
    "date": "EEEE, dd/MM/yyyy",
    "short": "dd/MM/yyyy",
}


def date_filters(settings: dict) -> dict:
    locale = settings["DEFAULT_LANG"]
    patterns = {**DEFAULT_PATTERNS, **settings.get("DATE_PATTERNS", {})}
    timezone = settings["TIMEZONE"]

    # An article's date is shown on its page and on every card of it (a dozen lists at
    # least): each is formatted once per build (2 s of Babel at 10,000 articles).
    @cache
    def published(moment: dt.datetime, with_time: bool = True) -> str:
        pattern = patterns["datetime" if with_time else "date"]
        return format_datetime(moment, pattern, tzinfo=timezone, locale=locale)

    @cache
    def short_date(moment: dt.datetime) -> str:
        return format_datetime(moment, patterns["short"], tzinfo=timezone, locale=locale)

    def month_year(period: tuple[int, int]) -> str:
        year, month = period
        return format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale)

    def iso(moment: dt.datetime) -> str:
        return moment.isoformat()

    return {"published": published, "short_date": short_date, "month_year": month_year, "iso": iso}


def localize(generator) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(
        translations(Path(generator.theme), generator.settings["DEFAULT_LANG"]), newstyle=True
    )
    env.filters.update(date_filters(generator.settings))


def register() -> None:
    signals.generator_init.connect(localize)
