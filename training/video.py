"""Lesson videos: only YouTube and Vimeo over https, shown through their privacy-friendly players. Anything else is
refused when HQ saves the lesson, so a page never embeds a frame from an address we did not choose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com",
                 "youtube-nocookie.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d{1,12}$")
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")


@dataclass(frozen=True)
class Video:
    provider: str  # youtube / vimeo
    video_id: str
    vimeo_hash: str = ""

    @property
    def embed_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}"
        suffix = f"?h={self.vimeo_hash}&dnt=1" if self.vimeo_hash else "?dnt=1"
        return f"https://player.vimeo.com/video/{self.video_id}{suffix}"

    @property
    def canonical_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}" + (f"/{self.vimeo_hash}" if self.vimeo_hash else "")


def parse_video(url: str) -> Video | None:
    """The video a YouTube or Vimeo https address shows, or None when it is not one."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme != "https" or parts.username or parts.password or parts.port not in (None, 443):
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host in YOUTUBE_HOSTS:
        candidate = ""
        if host == "youtu.be":
            candidate = segments[0] if len(segments) == 1 else ""
        elif segments == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live", "v"):
            candidate = segments[1]
        return Video("youtube", candidate) if YOUTUBE_ID.match(candidate) else None
    if host in VIMEO_HOSTS:
        if host == "player.vimeo.com":
            if len(segments) != 2 or segments[0] != "video":
                return None
            video_id, secret = segments[1], (parse_qs(parts.query).get("h") or [""])[0]
        else:
            if not segments or len(segments) > 2:
                return None
            video_id, secret = segments[0], segments[1] if len(segments) == 2 else ""
        if not VIMEO_ID.match(video_id) or (secret and not VIMEO_HASH.match(secret)):
            return None
        return Video("vimeo", video_id, secret)
    return None


def validate_video_url(value: str) -> None:
    if value and parse_video(value) is None:
        raise ValidationError(
            _("Paste the https address of a YouTube or Vimeo video (for example https://youtu.be/… or "
              "https://vimeo.com/…). Other sites can't be shown in a lesson."), code="video_url")
