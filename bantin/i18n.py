"""The site's translations: theme/translations/<lang>/LC_MESSAGES/messages.po, compiled
in memory, so there is no binary .mo file to keep in step with the catalogue."""

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


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
