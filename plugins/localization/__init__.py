"""The theme in the site's language: gettext for its strings, Babel for its dates.

The catalogue is theme/translations/<lang>/LC_MESSAGES/messages.po, compiled in
memory at each build, so there is no binary .mo file to keep in step. Dates use Babel's
CLDR data, because this machine (like many servers) has no vi_VN system locale.
"""

import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.dates import format_datetime, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from pelican import signals

# Babel's default Vietnamese pattern puts the time first; these read as bulletins do:
# "Thứ Sáu, 25/12/2020, 11:52".
DEFAULT_PATTERNS = {
    "datetime": "EEEE, dd/MM/yyyy, HH:mm",
    "date": "EEEE, dd/MM/yyyy",
    "short": "dd/MM/yyyy",
}


def catalogue_path(theme: Path, lang: str) -> Path:
    return theme / "translations" / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=8)
def _compiled(po_path: Path, mtime: float) -> gettext.NullTranslations:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


def translations(theme: Path, lang: str) -> gettext.NullTranslations:
    po_path = catalogue_path(theme, lang)
    if not po_path.exists():
        return gettext.NullTranslations()
    return _compiled(po_path, po_path.stat().st_mtime)


def date_filters(settings: dict) -> dict:
    locale = settings["DEFAULT_LANG"]
    patterns = {**DEFAULT_PATTERNS, **settings.get("DATE_PATTERNS", {})}
    timezone = settings["TIMEZONE"]

    def published(moment: dt.datetime, with_time: bool = True) -> str:
        pattern = patterns["datetime" if with_time else "date"]
        return format_datetime(moment, pattern, tzinfo=timezone, locale=locale)

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
