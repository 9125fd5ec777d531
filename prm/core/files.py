"""Uploaded files people can send us (photos, documents): what they really are by their first bytes, a safe
name to store them under, and a response that serves them only as what they are."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.http import FileResponse, Http404

IMAGE_KINDS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif",
               "heic": "image/heic"}
DOCUMENT_KINDS = {"pdf": "application/pdf",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  "xls": "application/vnd.ms-excel", "doc": "application/msword",
                  "ppt": "application/vnd.ms-powerpoint"}


def image_kind(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "heic"
    return None


def document_kind(head: bytes, name: str) -> str | None:
    """PDF by its bytes; an Office file by its bytes and the extension it was sent with."""
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and suffix in ("xlsx", "docx", "pptx"):
        return suffix
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffix in ("xls", "doc", "ppt"):
        return suffix
    return None


def head_of(upload: Any) -> bytes:
    head = bytes(upload.read(16))
    upload.seek(0)
    return head


def serve(field_file: Any, kind: str, *, download_name: str, inline: bool) -> FileResponse:
    """The stored file, with the content type of what it is (never guessed from its name by the browser)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = IMAGE_KINDS.get(kind) or DOCUMENT_KINDS.get(kind) or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline,
                            filename=f"{download_name}.{kind}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def stored_kind(field_file: Any) -> str:
    """The kind a stored file was saved as (its name's extension, which we chose when saving it)."""
    return PurePath(field_file.name or "").suffix.lower().lstrip(".")
