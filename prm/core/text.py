"""Text as people type it, made ready to store."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_text(value: Any, *, field: str, most: int, multiline: bool = False, required: str = "") -> str:
    """Text as stored: NFC (a Korean word typed on a Mac arrives decomposed), without NUL and other control
    characters (PostgreSQL refuses NUL), trimmed. Longer than ``most`` is refused, naming the field, rather than
    cut; ``required`` is the message when it is empty."""
    text = unicodedata.normalize("NFC", str(value if value is not None else ""))
    keep = "\n" if multiline else ""
    text = "".join(ch for ch in text.replace("\r\n", "\n").replace("\t", " ")
                   if ch in keep or unicodedata.category(ch) != "Cc").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > most:
        raise ValidationError({field: _("Keep it to %(most)s characters (this is %(length)s).")
                               % {"most": f"{most:,}", "length": f"{len(text):,}"}})
    return text
