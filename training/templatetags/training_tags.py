"""Lesson text as HTML (escaped first, then a few marks turned into tags) and the home page's course list."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BOLD = re.compile(r"\*\*(.+?)\*\*")
BULLET = re.compile(r"^\s*[-*]\s+")


def _inline(text: str) -> str:
    # ``text`` is already escaped: only our own tags are added
    return BOLD.sub(r"<strong>\1</strong>", text)


@register.filter
def lesson_body(value: Any) -> SafeString:
    """Plain text with a little markdown: "# " and "## " headings, "- " or "* " bullets, **bold**, blank lines
    between paragraphs. Everything the author typed is escaped before any tag is added."""
    html: list[str] = []
    for block in re.split(r"\n\s*\n", str(value or "").replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(re.match(r"\s*[-*]\s+", line) for line in lines):
            items = "".join(f"<li>{_inline(escape(BULLET.sub('', line)))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
            continue
        paragraph: list[str] = []
        for line in lines:
            heading = re.match(r"^(#{1,3})\s+(.*)$", line.strip())
            if heading:
                if paragraph:
                    html.append(f"<p>{'<br>'.join(paragraph)}</p>")
                    paragraph = []
                level = len(heading.group(1)) + 1
                html.append(f"<h{level}>{_inline(escape(heading.group(2)))}</h{level}>")
            else:
                paragraph.append(_inline(escape(line.strip())))
        if paragraph:
            html.append(f"<p>{'<br>'.join(paragraph)}</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - built from escaped text and fixed tags only


@register.simple_tag
def courses_for_home(request: HttpRequest, limit: int = 3) -> list[Any]:
    """The partner's courses for its home page (see training.selectors.courses_for_home)."""
    from prm.portals.access import request_actor
    from training.selectors import courses_for_home as home

    actor = request_actor(request)
    if actor is None or actor.organization is None or actor.is_hq:
        return []
    return home(actor, limit=limit)
