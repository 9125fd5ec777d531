"""A settings-free ``gettext_noop``.

Django's own ``django.utils.translation.gettext_noop`` reads ``settings.USE_I18N`` on its first call, so it
raises ImproperlyConfigured when no settings are configured (a plain script, these unit tests). The parser
must import and run without settings, so it marks its strings with this identity function instead.
``makemessages`` finds the strings all the same: xgettext matches calls by the name ``gettext_noop``, not by
where the function comes from.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation and return it unchanged."""
    return message
