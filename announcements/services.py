"""Writing announcements: HQ (or a distributor's admin, to its own dealers) writes a draft with its files and its
audience, publishes it (now, or at a time beat publishes it), withdraws it; a partner's person opening one records
that they read it. Every write is one transaction, role-checked and audited; publishing tells the partners through
``notices.services.broadcast`` in the same transaction."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from announcements import permissions, selectors
from announcements.choices import AnnouncementKind, AnnouncementStatus, DocumentCategory
from announcements.models import Announcement, AnnouncementFile, AnnouncementRead
from partners.choices import OrgKind, Segment
from partners.models import Organization, ProductLine
from prm.core import activity
from prm.core.actor import Actor
from prm.core.audience import clean_tiers
from prm.core.audit import audit
from prm.core.errors import NotAllowed, ServiceError
from prm.core.files import DOCUMENT_KINDS, document_kind, head_of, image_kind
from prm.core.models import ActivityVerb
from prm.core.notifications import mark_read, unread_for
from prm.core.regions import region_by_code

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
MAX_BODY = 20_000
PARTNER_KINDS = (OrgKind.DEALER, OrgKind.DISTRIBUTOR)
# what may be attached: PDF, pictures, and Office files (sniffed from their bytes, not trusted from their name)
ALLOWED_KINDS = frozenset({"pdf", "jpg", "png", "webp", "gif", *DOCUMENT_KINDS})
# NUL and the zero-width characters pasted from web pages: a title of only those is no title
_INVISIBLE = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u2060\ufeff"))
NEW_MESSAGE = gettext_noop("New announcement: %(title)s")
NEW_MANDATORY_MESSAGE = gettext_noop("Please read: %(title)s")


def _text(value: Any, *, field: str, max_length: int, required: str = "") -> str:
    """Text as typed, stored NFC (Korean typed on a Mac arrives decomposed), without NUL characters, trimmed."""
    text = unicodedata.normalize("NFC", str(value or "")).translate(_INVISIBLE).strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > max_length:
        raise ValidationError({field: _("Use at most %(count)s characters.") % {"count": max_length}})
    return text


def _regions(values: Iterable[Any]) -> list[str]:
    """시/도 codes; the new 강원 (51) and 전북 (52) codes are kept as given (they match either code)."""
    codes: list[str] = []
    for raw in values:
        code = str(raw or "").strip()
        region = region_by_code(code) if len(code) == 2 and code.isascii() and code.isdigit() else None
        if region is None or region.sigungu:
            raise ValidationError({"regions": _("Choose regions (시/도) from the list.")})
        if code not in codes:
            codes.append(code)
    return codes


def _moment(value: Any, *, field: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.datetime):
        raise ValidationError({field: _("Enter a date and time.")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if not dt.datetime(2000, 1, 1, tzinfo=dt.UTC) <= value <= dt.datetime(2100, 1, 1, tzinfo=dt.UTC):
        raise ValidationError({field: _("Enter a date between 2000 and 2100.")})
    return value


def _check_dates(publish_at: dt.datetime | None, expires_at: dt.datetime | None) -> None:
    if expires_at is not None and publish_at is not None and expires_at <= publish_at:
        raise ValidationError({"expires_at": _("The expiry must come after the publishing time: change one of "
                                               "the two dates.")})


def _file_title(name: str) -> str:
    stem = PurePath(unicodedata.normalize("NFC", name or "").replace("\\", "/")).stem
    stem = "".join(ch for ch in stem if ch.isprintable()).strip()
    return stem[:200] or _("Document")


def _check_file(upload: Any) -> str:
    """The kind of an uploaded file from its bytes, or a message naming the file."""
    name = _file_title(getattr(upload, "name", "") or "")
    if (upload.size or 0) > MAX_FILE_BYTES:
        raise ValidationError({"files": _("“%(name)s” is larger than 20 MB. Make it smaller or share it another "
                                          "way.") % {"name": name}})
    head = head_of(upload)
    kind = document_kind(head, upload.name or "") or image_kind(head)
    if kind is None or kind not in ALLOWED_KINDS or kind == "heic":
        raise ValidationError({"files": _("“%(name)s” is not a PDF, a picture (JPEG, PNG, WebP, GIF) or an Office "
                                          "file (Excel, Word, PowerPoint).") % {"name": name}})
    return kind


def _writer(actor: Actor) -> Organization:
    """The organisation writing: HQ, or a distributor (to its own dealers)."""
    permissions.require(actor, "announcement.write")
    org = actor.organization
    if actor.is_system:
        hq = Organization.objects.filter(kind=OrgKind.HQ).order_by("pk").first()
        if hq is None:
            raise ServiceError(_("This network has no HQ organisation yet."))
        return hq
    if org is None or org.kind not in (OrgKind.HQ, OrgKind.DISTRIBUTOR):
        raise NotAllowed(_("Only HQ and distributors write announcements."))
    return org


def _mine(actor: Actor, announcement: Announcement) -> Announcement:
    """The announcement, locked, when the actor's organisation wrote it (else: it is not theirs to change)."""
    org = _writer(actor)
    locked = Announcement.objects.select_for_update().filter(pk=announcement.pk).first()
    if locked is None or (not actor.is_system and locked.author_organization_id != org.pk):
        raise ServiceError(_("That announcement was deleted meanwhile, or is not yours. Reload the page."))
    return locked


@transaction.atomic
def announcement_save(*, actor: Actor, announcement: Announcement | None = None, kind: str = AnnouncementKind.GENERAL,
                      title: str, body: str = "", mandatory: bool = False, publish_at: Any = None,
                      expires_at: Any = None, kinds: Iterable[str] = (), tiers: Iterable[str] = (),
                      segments: Iterable[str] = (), regions: Iterable[str] = (),
                      product_lines: Iterable[ProductLine] = (), files: Iterable[Any] = (),
                      file_category: str = DocumentCategory.OTHER, remove_files: Iterable[int] = ()) -> Announcement:
    """HQ or a distributor writes an announcement, or changes one not yet published: its text, files, dates and
    audience. A distributor's goes to its own dealers only (its audience can narrow them further). Nothing is
    saved when any part is wrong (the files included).

    A published one can be corrected: its kind, title, text, files and expiry; nobody is told again (partners see
    "edited" on it). Its audience, "must be read" and publishing time stay as the partners were told: passing
    other values for them is refused."""
    org = _writer(actor)
    creating = announcement is None
    correcting = False
    if announcement is not None:
        announcement = _mine(actor, announcement)
        if not announcement.is_correctable:
            raise ServiceError(_("A withdrawn announcement can't be changed. Post a new one."))
        correcting = announcement.status == AnnouncementStatus.PUBLISHED
    if kind not in AnnouncementKind.values:
        raise ValidationError({"kind": _("Choose what kind of announcement this is.")})
    kind_list = list(dict.fromkeys(kinds))
    if set(kind_list) - set(PARTNER_KINDS):
        raise ValidationError({"kinds": _("Choose dealers, distributors or both.")})
    if org.kind == OrgKind.DISTRIBUTOR:
        if set(kind_list) - {OrgKind.DEALER}:
            raise ValidationError({"kinds": _("A distributor's announcement goes to its own dealers only.")})
        kind_list = [OrgKind.DEALER]
    segment_list = list(dict.fromkeys(segments))
    if set(segment_list) - set(Segment.values):
        raise ValidationError({"segments": _("Choose segments from the list.")})
    if file_category not in DocumentCategory.values:
        raise ValidationError({"file_category": _("Choose what the files are.")})
    publish = _moment(publish_at, field="publish_at")
    expires = _moment(expires_at, field="expires_at")
    if correcting:
        assert announcement is not None
        _check_locked(announcement, kinds=kind_list, tiers=clean_tiers(tiers), segments=segment_list,
                      regions=_regions(regions), product_lines=product_lines, mandatory=bool(mandatory),
                      publish_at=publish)
        publish = announcement.publish_at
    _check_dates(publish, expires)
    unchanged_expiry = correcting and announcement is not None and expires == announcement.expires_at
    if expires is not None and expires <= timezone.now() and not unchanged_expiry:
        raise ValidationError({"expires_at": _("The expiry has passed already: set a later one, or none.")})
    uploads = [f for f in files if f]
    removing = set()
    for raw in remove_files:
        try:
            removing.add(int(raw))
        except (TypeError, ValueError):
            raise ValidationError({"files": _("A file to remove could not be read. Reload the page.")}) from None
    kinds_of_uploads = [_check_file(upload) for upload in uploads]

    announcement = announcement or Announcement(author_organization=org, created_by=actor.user)
    before = {} if creating else _values(announcement)
    announcement.kind = kind
    announcement.title = _text(title, field="title", max_length=200, required=_("Give the announcement a title."))
    announcement.body = _text(body, field="body", max_length=MAX_BODY)
    announcement.mandatory = bool(mandatory)
    announcement.publish_at, announcement.expires_at = publish, expires
    announcement.kinds, announcement.tiers, announcement.segments = kind_list, clean_tiers(tiers), segment_list
    announcement.regions = _regions(regions)
    if announcement.status == AnnouncementStatus.SCHEDULED and (publish is None or publish <= timezone.now()):
        # its time was taken away or moved into the past: a draft again, published when HQ says so
        announcement.status = AnnouncementStatus.DRAFT
    if correcting:
        announcement.edited_at = timezone.now()
    announcement.save()
    if not correcting:
        announcement.product_lines.set(list(product_lines))

    existing = {f.pk: f for f in announcement.files.all()} if not creating else {}
    if removing - set(existing):
        raise ValidationError({"files": _("A file to remove belongs to another announcement. Reload the page.")})
    if len(existing) - len(removing) + len(uploads) > MAX_FILES:
        raise ValidationError({"files": _("Attach at most %(count)s files.") % {"count": MAX_FILES}})
    for pk in removing:
        stored = existing[pk]
        _delete_file_on_commit(stored)
        stored.delete()
    for upload, file_kind in zip(uploads, kinds_of_uploads, strict=True):
        title_of_file = _file_title(upload.name or "")
        upload.name = f"{uuid.uuid4().hex}.{file_kind}"
        AnnouncementFile.objects.create(announcement=announcement, category=file_category, title=title_of_file,
                                        file=upload, kind=file_kind, size=upload.size or 0)
    after = _values(announcement)
    action = "announcement.create" if creating else "announcement.correct" if correcting else "announcement.update"
    audit(actor=actor, action=action, obj=announcement,
          changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
          files_added=len(uploads), files_removed=len(removing))
    return announcement


def _check_locked(announcement: Announcement, *, kinds: list[str], tiers: list[str], segments: list[str],
                  regions: list[str], product_lines: Iterable[ProductLine], mandatory: bool,
                  publish_at: dt.datetime | None) -> None:
    """A published announcement keeps the audience, "must be read" and publishing time its partners were told
    about (changing them would need telling other partners, or telling them again)."""
    lines = {line.pk if isinstance(line, ProductLine) else int(line) for line in product_lines}
    changed = (set(kinds) != set(announcement.kinds) or tiers != announcement.tiers
               or set(segments) != set(announcement.segments) or set(regions) != set(announcement.regions)
               or lines != set(announcement.product_lines.values_list("pk", flat=True))
               or mandatory != announcement.mandatory
               or _moved(publish_at, announcement.publish_at))
    if changed:
        raise ValidationError(_("Once published, who an announcement is for, “must be read” and its publishing "
                                "time can't change. Withdraw it and post a new one for that."))


def _moved(given: dt.datetime | None, stored: dt.datetime | None) -> bool:
    """A publishing time other than the stored one (a form shows it to the minute: less is the same time)."""
    if given is None or stored is None:
        return False
    return abs(given - stored) >= dt.timedelta(minutes=1)


def _values(announcement: Announcement) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(announcement, name) for name in (
        "kind", "title", "body", "mandatory", "kinds", "tiers", "segments", "regions")}
    values["publish_at"] = announcement.publish_at.isoformat() if announcement.publish_at else None
    values["expires_at"] = announcement.expires_at.isoformat() if announcement.expires_at else None
    if announcement.pk:
        values["product_lines"] = sorted(announcement.product_lines.values_list("pk", flat=True))
    return values


def partner_url(announcement: Announcement) -> str:
    return reverse("portals:announcement", args=[announcement.pk])


def _tell(actor: Actor | None, announcement: Announcement) -> Any:
    """Notices to every person of every targeted partner (in the portal and by e-mail, once each), queued for
    when the publishing transaction commits."""
    from notices.services import NoticeCategory, broadcast

    partner_ids = list(selectors.targeted_partners(announcement).values_list("pk", flat=True))
    return broadcast(category=NoticeCategory.ANNOUNCEMENTS, source=announcement, organization_ids=partner_ids,
                     message=NEW_MANDATORY_MESSAGE if announcement.mandatory else NEW_MESSAGE,
                     params={"title": announcement.title}, url=partner_url(announcement), actor=actor,
                     sender=announcement.author_organization_id)


@transaction.atomic
def announcement_publish(*, actor: Actor, announcement: Announcement) -> Announcement:
    """Partners it is for see it from its publishing time (now when none is set or it has passed), and are told
    then: now, or by beat's ``publish_due`` when the time is later. Publishing again changes nothing."""
    announcement = _mine(actor, announcement)
    if announcement.status in (AnnouncementStatus.PUBLISHED, AnnouncementStatus.SCHEDULED):
        return announcement
    if announcement.status == AnnouncementStatus.WITHDRAWN:
        raise ServiceError(_("A withdrawn announcement can't be published again. Post a new one."))
    now = timezone.now()
    if not announcement.title.strip():
        raise ValidationError({"title": _("Give the announcement a title.")})
    if announcement.expires_at is not None and announcement.expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry has passed already: set a later one, or none.")})
    if not selectors.targeted_partners(announcement).exists():
        raise ValidationError(_("No active partner matches this audience. Widen it (fewer criteria) and publish "
                                "again."))
    if announcement.publish_at is not None and announcement.publish_at > now:
        announcement.status = AnnouncementStatus.SCHEDULED
        announcement.save(update_fields=["status", "updated_at"])
        audit(actor=actor, action="announcement.schedule", obj=announcement,
              publish_at=announcement.publish_at.isoformat())
        return announcement
    announcement.publish_at = now  # a time already past when publishing by hand means "now"
    _go_live(actor, announcement, now)
    return announcement


def _go_live(actor: Actor | None, announcement: Announcement, now: dt.datetime) -> None:
    announcement.status = AnnouncementStatus.PUBLISHED
    announcement.published_at = now
    announcement.save(update_fields=["status", "publish_at", "published_at", "updated_at"])
    broadcast = _tell(actor, announcement)
    audit(actor=actor or Actor.system(), action="announcement.publish", obj=announcement,
          publish_at=announcement.publish_at.isoformat() if announcement.publish_at else None,
          broadcast=getattr(broadcast, "pk", None))


def publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish the scheduled announcements whose time has come (beat, every minute, in each tenant), each in its
    own transaction with its notices. A second run, or two at once, publishes each once. Returns how many."""
    now = now or timezone.now()
    published = 0
    for pk in list(Announcement.objects.filter(status=AnnouncementStatus.SCHEDULED, publish_at__lte=now)
                   .order_by("publish_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            announcement = (Announcement.objects.select_for_update(skip_locked=True)
                            .filter(pk=pk, status=AnnouncementStatus.SCHEDULED).select_related("author_organization")
                            .first())
            if announcement is None:
                continue  # published meanwhile (or being published by another run)
            if announcement.expires_at is not None and announcement.expires_at <= now:
                # its whole window passed while nothing ran: nobody is told about something already over
                announcement.status = AnnouncementStatus.WITHDRAWN
                announcement.withdrawn_at = now
                announcement.save(update_fields=["status", "withdrawn_at", "updated_at"])
                audit(actor=Actor.system(), action="announcement.lapse", obj=announcement)
                continue
            _go_live(None, announcement, now)
            published += 1
    return published


@transaction.atomic
def announcement_withdraw(*, actor: Actor, announcement: Announcement) -> Announcement:
    """Partners no longer see it (nor its files); who read it stays recorded."""
    announcement = _mine(actor, announcement)
    if announcement.status == AnnouncementStatus.WITHDRAWN:
        return announcement
    if announcement.status == AnnouncementStatus.DRAFT:
        raise ServiceError(_("A draft is not published: delete it instead."))
    before = announcement.status
    announcement.status = AnnouncementStatus.WITHDRAWN
    announcement.withdrawn_at = timezone.now()
    announcement.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit(actor=actor, action="announcement.withdraw", obj=announcement, before=before)
    return announcement


@transaction.atomic
def announcement_delete(*, actor: Actor, announcement: Announcement) -> None:
    """A draft (never shown to anyone) is deleted with its files."""
    announcement = _mine(actor, announcement)
    if announcement.status != AnnouncementStatus.DRAFT:
        raise ServiceError(_("Only a draft can be deleted; withdraw a published announcement instead."))
    audit(actor=actor, action="announcement.delete", obj=announcement, title=announcement.title)
    for stored in announcement.files.all():
        _delete_file_on_commit(stored)
    announcement.delete()


def _delete_file_on_commit(stored: AnnouncementFile) -> None:
    """The stored file goes once the row's deletion commits (a rollback keeps both)."""
    storage, name = stored.file.storage, stored.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def announcement_mark_read(*, actor: Actor, announcement: Announcement) -> bool:
    """The person opened an announcement meant for their partner: recorded once (a second opening, or two at
    the same moment, add nothing). Returns whether this was the first time. HQ previewing records nothing."""
    if actor.user is None or actor.organization is None or actor.organization.kind not in PARTNER_KINDS:
        return False
    if not selectors.announcement_for_partner(actor).filter(pk=announcement.pk).exists():
        raise ServiceError(_("This announcement is not for your organisation."))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {AnnouncementRead._meta.db_table} (announcement_id, user_id, organization_id, read_at)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (announcement_id, user_id) DO NOTHING RETURNING id""",
            [announcement.pk, actor.user.pk, actor.organization.pk, timezone.now()])
        first = cursor.fetchone() is not None
    if first:
        activity.record(verb=ActivityVerb.ANNOUNCEMENT_READ, user=actor.user, organization=actor.organization,
                        obj=announcement)
    # the portal notice about it has done its job too
    unread = unread_for(actor.user).filter(url=partner_url(announcement)).values_list("pk", flat=True)
    mark_read(user=actor.user, ids=list(unread))
    return first
