"""Every string a user sees has a Korean translation, and the compiled catalogue matches the source."""

from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_korean_translation():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert missing == [], "run `make messages` and translate these"


def test_the_compiled_catalogue_is_up_to_date_with_the_po_file():
    po = polib.pofile(str(PO))
    with translation.override("ko"):
        stale = [e.msgid for e in po.translated_entries()
                 if not e.msgid_plural and (translation.pgettext(e.msgctxt, e.msgid) if e.msgctxt
                                            else translation.gettext(e.msgid)) != e.msgstr]
    assert stale == [], "run `make messages` (compilemessages) and commit django.mo"
