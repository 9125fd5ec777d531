"""A broadcast's e-mail, composed once per language and then per person by filling in two values.

Everyone's e-mail about one broadcast says the same thing in their language; only the greeting's name and the
unsubscribe link differ. The templates (templates/notices/email_subject.txt, email_body.txt, email_body.html)
are rendered once per (language, with or without a name) with markers in those places, and each person's
message is those texts with the markers replaced, wrapped in a MIME message built directly as bytes (base64
parts, RFC 2047 headers). Python's email package, rendering three templates and re-parsing addresses for every
one of 50,000 people cost more than everything else together.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, gettext_noop

from notices.choices import NoticeCategory
from notices.models import Broadcast
from notices.tokens import make_token

# private-use characters: never in real text, and left alone by HTML escaping
NAME = "\ue000name\ue000"
UNSUBSCRIBE = "\ue000unsubscribe\ue000"
LANGUAGES = ("ko", "en")


def message_id(*, broadcast_id: int, user_id: int, domain: str) -> str:
    """The same for every copy of one person's e-mail about one broadcast (a receiver drops a duplicate)."""
    return f"<notice.{broadcast_id}.{user_id}@{domain}>"


@dataclass(frozen=True)
class Rendered:
    subject: str
    subject_header: str
    text: str
    html: str


class RawMessage:
    """What a mail backend asks an EmailMessage for (``message()``), already made."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\r\n" else self.raw.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("ascii")

    def get_charset(self) -> None:
        return None


class NoticeEmail(EmailMultiAlternatives):
    """One person's notice e-mail: the usual attributes (subject, body, to, headers, the HTML alternative) for
    any mail backend, and the message itself already built (``raw``)."""

    raw: bytes
    envelope_to: str

    def message(self, *, policy: Any = None) -> Any:
        return RawMessage(self.raw)


class Composer:
    """Composes one broadcast's e-mail for each recipient, in their language."""

    def __init__(self, item: Broadcast, *, base: str, domain: str, site_name: str, schema: str) -> None:
        self.item = item
        self.base, self.domain, self.site_name, self.schema = base, domain, site_name, schema
        self.sender = sender_name(item)
        self.link = base + item.url if item.url.startswith("/") else item.url
        self.preferences_url = base + reverse("portals:notice_preferences")
        self.unsubscribe_prefix = base + reverse("portals:notice_unsubscribe", args=["TOKEN"]).replace("TOKEN/", "")
        self.from_email = settings.DEFAULT_FROM_EMAIL
        self.from_header = sanitize_address(self.from_email, "utf-8")
        self.envelope_from = self.from_header
        self._rendered: dict[tuple[str, bool], Rendered] = {}

    def text(self) -> str:
        message = gettext(self.item.message)
        try:
            return message % self.item.params if self.item.params else message
        except (KeyError, TypeError, ValueError):
            return self.item.message

    def rendered(self, language: str, named: bool) -> Rendered:
        key = (language, named)
        if key not in self._rendered:
            with translation.override(language):
                context = {
                    "text": self.text(), "link": self.link, "unsubscribe_url": UNSUBSCRIBE,
                    "preferences_url": self.preferences_url, "name": NAME if named else "",
                    "site_name": self.site_name, "category": NoticeCategory(self.item.category).label,
                    "sender": self.sender,
                }
                subject = " ".join(render_to_string("notices/email_subject.txt", context).split())
                self._rendered[key] = Rendered(
                    subject=subject,
                    subject_header=Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n"),
                    text=render_to_string("notices/email_body.txt", context),
                    html=render_to_string("notices/email_body.html", context))
        return self._rendered[key]

    def compose(self, *, user_id: int, email: str, name: str, language: str) -> NoticeEmail:
        """Raises AddressRefused for an address no relay would take (a permanent failure)."""
        language = language if language in LANGUAGES else settings.LANGUAGE_CODE
        name = " ".join(name.split())
        parts = self.rendered(language, bool(name))
        token = make_token(user_id=user_id, category=self.item.category, schema=self.schema)
        unsubscribe_url = f"{self.unsubscribe_prefix}{token}/"
        text = parts.text.replace(NAME, name).replace(UNSUBSCRIBE, unsubscribe_url)
        html = parts.html.replace(NAME, escape(name)).replace(UNSUBSCRIBE, unsubscribe_url)
        address = envelope_address(email)
        to = formataddr((name, address)) if name else address
        headers = {
            "Message-ID": message_id(broadcast_id=self.item.pk, user_id=user_id, domain=self.domain),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        }
        boundary = f"=_notice_{uuid.uuid4().hex}"
        head = "\r\n".join([
            f"From: {self.from_header}", f"To: {to}", f"Subject: {parts.subject_header}",
            f"Date: {formatdate(localtime=False, usegmt=True)}",
            *(f"{k}: {v}" for k, v in headers.items()),
            "MIME-Version: 1.0", f'Content-Type: multipart/alternative; boundary="{boundary}"',
        ])
        raw = b"".join([
            head.encode("ascii"), b"\r\n\r\n",
            _part(boundary, "text/plain", text), _part(boundary, "text/html", html),
            f"--{boundary}--\r\n".encode("ascii"),
        ])
        message = NoticeEmail(subject=parts.subject, body=text, from_email=self.from_email, to=[to],
                              headers=headers, alternatives=[(html, "text/html")])
        message.raw = raw
        message.envelope_to = address
        return message


def sender_name(item: Broadcast) -> str:
    """The distributor a notice is from, named in its e-mail (its subject, heading and footer); empty for HQ's
    notices (and those with no sender), which speak as the network (the tenant's name)."""
    from partners.choices import OrgKind

    org = item.organization if item.organization_id else None
    if org is None or org.kind == OrgKind.HQ:
        return ""
    return org.name


class AddressRefused(ValueError):
    """An address no relay would take; its message is an English msgid HQ's page translates."""


INVALID_ADDRESS = gettext_noop("The e-mail address is not valid: correct it in the person's account.")
NON_ASCII_ADDRESS = gettext_noop("The e-mail address has non-Latin letters before the @, which mail servers "
                                 "rarely accept (SMTPUTF8): ask the person for another address.")


def envelope_address(email: str) -> str:
    """The address as an SMTP envelope takes it (the domain in IDNA); AddressRefused for one no relay would take:
    broken (a line break, no domain) or with a non-ASCII local part (it would need SMTPUTF8)."""
    if not email or any(ch in email for ch in "\r\n\0<>, \t"):
        raise AddressRefused(INVALID_ADDRESS)
    local, _at, domain = email.rpartition("@")
    if not local or not domain:
        raise AddressRefused(INVALID_ADDRESS)
    if not local.isascii():
        raise AddressRefused(NON_ASCII_ADDRESS)
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            raise AddressRefused(INVALID_ADDRESS) from None
    return f"{local}@{domain}"


def _part(boundary: str, content_type: str, text: str) -> bytes:
    body = base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")
    return (f"--{boundary}\r\nContent-Type: {content_type}; charset=\"utf-8\"\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n").encode("ascii") + body
