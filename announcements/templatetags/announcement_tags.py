"""An announcement's text as HTML (escaped, paragraphs and line breaks kept, web addresses made links) and the
partner home page's announcements."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def announcement_body(value: Any) -> SafeString:
    """Plain text as typed: blank lines separate paragraphs, line breaks are kept, and http(s) addresses, www.
    addresses and e-mail addresses become links. ``urlize`` escapes everything else (a typed "<script>" shows as
    text) and never links a javascript: address."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()):
        if not block.strip():
            continue
        lines = [urlize(line, trim_url_limit=60, nofollow=True, autoescape=True) for line in block.split("\n")]
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    html = "\n".join(paragraphs).replace(' rel="nofollow"', ' rel="nofollow noopener noreferrer"')
    return mark_safe(html)  # noqa: S308 - urlize escaped the text; only its links and our tags are added


@register.simple_tag
def announcements_for_home(request: HttpRequest) -> Any:
    """The partner's pinned and latest announcements for its home page (see selectors.announcements_for_home)."""
    from announcements.selectors import announcements_for_home as home
    from prm.portals.access import request_actor

    actor = request_actor(request)
    if actor is None or actor.organization is None or actor.is_hq:
        return None
    return home(actor)


@register.filter
def file_size(value: Any) -> str:
    """Bytes as people read them: 850 KB, 3.2 MB."""
    size = int(value or 0)
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"
