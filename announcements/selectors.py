"""Reading announcements: what a partner is shown (live, targeted at it, from HQ or from a distributor supplying
it), what HQ or a distributor manages, the files either may download, and the read figures (one query for a
whole page of announcements, whatever the number of partners). Another partner's announcement or file is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from announcements.choices import AnnouncementStatus, ManageFilter
from announcements.models import Announcement, AnnouncementFile, AnnouncementRead
from partners.choices import OrgKind
from partners.models import Membership, Organization, SupplyLink
from prm.accounts.models import User
from prm.core.actor import Actor
from prm.core.audience import SIDO_ALIASES, audience_alias, audience_partners, audience_q


def live(at: dt.datetime | None = None) -> Q:
    """Published, its time come and not expired."""
    now = at or timezone.now()
    return (Q(status=AnnouncementStatus.PUBLISHED, publish_at__lte=now)
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)))


def _from_hq_or_supplier(org: Organization) -> Q:
    """Written by HQ, or by a distributor that supplies ``org`` (an approved link: a pending one grants nothing)."""
    supplies = SupplyLink.objects.filter(distributor_id=OuterRef("author_organization_id"), dealer_id=org.pk,
                                         is_approved=True)
    return Q(author_organization__kind=OrgKind.HQ) | Q(Exists(supplies))


def announcement_for_partner(actor: Actor, *, at: dt.datetime | None = None) -> QuerySet[Announcement]:
    """The announcements a partner's person is shown: live and targeted at their partner, each with ``is_read``
    (by this person); mandatory unread ones first, then the newest."""
    org = actor.organization
    if org is None or org.kind not in (OrgKind.DEALER, OrgKind.DISTRIBUTOR):
        return Announcement.objects.none()
    qs = audience_alias(Announcement.objects.all()).filter(live(at)).filter(
        audience_q(Announcement, org)).filter(_from_hq_or_supplier(org))
    return _with_reading(qs, actor.user)


def _read_by(user: User | None) -> Exists:
    return Exists(AnnouncementRead.objects.filter(announcement_id=OuterRef("pk"), user_id=user.pk if user else 0))


def _with_reading(qs: QuerySet[Announcement], user: User | None) -> QuerySet[Announcement]:
    return qs.annotate(is_read=_read_by(user)).annotate(
        pinned=Case(When(mandatory=True, is_read=False, then=Value(0)), default=Value(1),
                    output_field=IntegerField()),
    ).select_related("author_organization").order_by("pinned", "-publish_at", "-id")


def announcement_for_partner_get(actor: Actor, pk: int) -> Announcement:
    return get_object_or_404(announcement_for_partner(actor), pk=pk)


def announcement_managed_by(actor: Actor) -> QuerySet[Announcement]:
    """What the actor writes and follows: HQ's people HQ's announcements, a distributor's people its own."""
    qs = Announcement.objects.select_related("author_organization", "created_by")
    if actor.is_system:
        return qs
    if actor.organization_id is None or not (actor.is_hq or actor.is_distributor):
        return qs.none()
    return qs.filter(author_organization_id=actor.organization_id)


def in_state(qs: QuerySet[Announcement], state: str, *, at: dt.datetime | None = None) -> QuerySet[Announcement]:
    """The announcements in one of the lists' states (``ManageFilter``): "published" are those partners can still
    see, "expired" the published ones whose expiry has come. An unknown state filters nothing."""
    now = at or timezone.now()
    if state == ManageFilter.EXPIRED:
        return qs.filter(status=AnnouncementStatus.PUBLISHED, expires_at__lte=now)
    if state == ManageFilter.PUBLISHED:
        return qs.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), status=AnnouncementStatus.PUBLISHED)
    if state in AnnouncementStatus.values:
        return qs.filter(status=state)
    return qs


def announcement_managed_get(actor: Actor, pk: int) -> Announcement:
    return get_object_or_404(announcement_managed_by(actor), pk=pk)


def file_visible_to(actor: Actor) -> QuerySet[AnnouncementFile]:
    """Files of the announcements the actor is shown or manages; HQ also any live announcement's files."""
    shown = announcement_for_partner(actor).values("pk")
    managed = announcement_managed_by(actor).values("pk")
    allowed = Q(announcement_id__in=shown) | Q(announcement_id__in=managed)
    if actor.is_hq or actor.is_system:
        allowed |= Q(announcement_id__in=Announcement.objects.filter(live()).values("pk"))
    return AnnouncementFile.objects.filter(allowed).select_related("announcement")


def file_get(actor: Actor, pk: int) -> AnnouncementFile:
    return get_object_or_404(file_visible_to(actor), pk=pk)


def document_library(actor: Actor, *, query: str = "", category: str = "") -> QuerySet[AnnouncementFile]:
    """The document library: the files of the live announcements the actor is shown (HQ: every live one), newest
    first, searched in the file's and the announcement's titles."""
    if actor.is_hq or actor.is_system:
        announcements = Announcement.objects.filter(live()).values("pk")
    else:
        announcements = announcement_for_partner(actor).values("pk")
    qs = AnnouncementFile.objects.filter(announcement_id__in=announcements).select_related(
        "announcement", "announcement__author_organization")
    if category:
        qs = qs.filter(category=category)
    for word in query.split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(announcement__title__icontains=word))
    return qs.order_by("-announcement__publish_at", "-announcement_id", "id")


# --- who it is for, and who read it ---------------------------------------------------------------------------


def _within(announcement: Announcement) -> QuerySet[Organization] | None:
    """A distributor's announcement reaches only dealers it supplies (approved links)."""
    author = announcement.author_organization
    if author.kind == OrgKind.HQ:
        return None
    supplied = SupplyLink.objects.filter(distributor_id=author.pk, dealer_id=OuterRef("pk"), is_approved=True)
    return Organization.objects.filter(Exists(supplied), kind=OrgKind.DEALER)


def targeted_partners(announcement: Announcement) -> QuerySet[Organization]:
    """The active partners the announcement is for (its notices go to their people)."""
    return audience_partners(announcement, within=_within(announcement))


def _people_of(organizations: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(organization__in=organizations, is_active=True, user__is_active=True)


def unread_partners(announcement: Announcement) -> QuerySet[Organization]:
    """Targeted partners none of whose people has opened it, each with ``people`` (active portal users)."""
    read = AnnouncementRead.objects.filter(announcement_id=announcement.pk, organization_id=OuterRef("pk"),
                                           user__memberships__organization_id=OuterRef("pk"),
                                           user__memberships__is_active=True, user__is_active=True)
    people = (Membership.objects.filter(organization_id=OuterRef("pk"), is_active=True, user__is_active=True)
              .order_by().values("organization_id").annotate(n=Count("id")).values("n"))
    return (targeted_partners(announcement).exclude(Exists(read))
            .annotate(people=Coalesce(Subquery(people, output_field=IntegerField()), 0))
            .order_by("name", "id"))


def unread_people(announcement: Announcement) -> QuerySet[Membership]:
    """The active people of the targeted partners who have not opened it, by partner."""
    read = AnnouncementRead.objects.filter(announcement_id=announcement.pk, user_id=OuterRef("user_id"),
                                           organization_id=OuterRef("organization_id"))
    return (_people_of(targeted_partners(announcement).values("pk")).exclude(Exists(read))
            .select_related("user", "organization").order_by("organization__name", "organization_id",
                                                              "user__email"))


@dataclass(frozen=True)
class ReadFigures:
    partners: int = 0
    people: int = 0
    partners_read: int = 0
    people_read: int = 0

    @property
    def partner_rate(self) -> int | None:
        return round(100 * self.partners_read / self.partners) if self.partners else None

    @property
    def people_rate(self) -> int | None:
        return round(100 * self.people_read / self.people) if self.people else None


def _region_alias_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{a}' THEN '{b}'" for a, b in sorted(SIDO_ALIASES.items()))
    return f"(CASE {column} {cases} END)"


# The same rules as prm.core.audience.audience_partners (with ``within`` for a distributor's announcement), written
# set-based for many announcements at once; tests/announcements/test_audience.py checks that both agree.
_FIGURES_SQL = """
WITH a AS MATERIALIZED (
    SELECT an.id, an.kinds, an.tiers, an.segments, an.regions, an.author_organization_id,
           author.kind AS author_kind, '|' || lower(array_to_string(an.tiers, '|')) || '|' AS tiers_key,
           EXISTS (SELECT 1 FROM {lines} t WHERE t.announcement_id = an.id) AS has_lines
    FROM {announcement} an JOIN {organization} author ON author.id = an.author_organization_id
    WHERE an.id = ANY(%(ids)s)
), targets AS (
    SELECT a.id AS announcement_id, o.id AS organization_id
    FROM a JOIN {organization} o ON o.status = 'active'
     AND (CASE WHEN cardinality(a.kinds) = 0 THEN o.kind = ANY(%(partner_kinds)s) ELSE o.kind = ANY(a.kinds) END)
     AND (cardinality(a.tiers) = 0
          OR (btrim(o.tier) <> '' AND strpos(a.tiers_key, '|' || lower(btrim(o.tier)) || '|') > 0))
     AND (cardinality(a.segments) = 0 OR o.segments && a.segments)
     AND (cardinality(a.regions) = 0 OR left(o.region_code, 2) = ANY(a.regions)
          OR {region_alias} = ANY(a.regions))
     AND (NOT a.has_lines
          OR EXISTS (SELECT 1 FROM {lines} t JOIN {org_lines} ol ON ol.productline_id = t.productline_id
                     WHERE t.announcement_id = a.id AND ol.organization_id = o.id))
     AND (a.author_kind = 'hq'
          OR (o.kind = 'dealer' AND EXISTS (SELECT 1 FROM {supply} s WHERE s.distributor_id = a.author_organization_id
                                            AND s.dealer_id = o.id AND s.is_approved)))
), people AS (
    SELECT m.organization_id, count(*) AS n
    FROM {membership} m JOIN {user} u ON u.id = m.user_id AND u.is_active
    WHERE m.is_active
    GROUP BY m.organization_id
), readers AS (
    SELECT r.announcement_id, r.organization_id, count(*) AS n
    FROM {read} r
    JOIN {membership} m ON m.user_id = r.user_id AND m.organization_id = r.organization_id AND m.is_active
    JOIN {user} u ON u.id = r.user_id AND u.is_active
    WHERE r.announcement_id = ANY(%(ids)s)
    GROUP BY r.announcement_id, r.organization_id
)
SELECT t.announcement_id, count(*), coalesce(sum(p.n), 0), count(rd.n), coalesce(sum(rd.n), 0)
FROM targets t
LEFT JOIN people p ON p.organization_id = t.organization_id
LEFT JOIN readers rd ON rd.announcement_id = t.announcement_id AND rd.organization_id = t.organization_id
GROUP BY t.announcement_id
"""


def read_figures(ids: list[int]) -> dict[int, ReadFigures]:
    """For each announcement: partners and people targeted, partners with a reader and people who read it (among
    the active people of the targeted partners). One query for all of ``ids``."""
    if not ids:
        return {}
    sql = _FIGURES_SQL.format(
        announcement=Announcement._meta.db_table, organization=Organization._meta.db_table,
        lines=Announcement.product_lines.through._meta.db_table,
        org_lines=Organization.product_lines.through._meta.db_table, supply=SupplyLink._meta.db_table,
        membership=Membership._meta.db_table, user=User._meta.db_table, read=AnnouncementRead._meta.db_table,
        region_alias=_region_alias_sql("left(o.region_code, 2)"))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": list(ids), "partner_kinds": [OrgKind.DISTRIBUTOR.value, OrgKind.DEALER.value]})
        rows = cursor.fetchall()
    figures = {pk: ReadFigures() for pk in ids}
    for pk, partners, people, partners_read, people_read in rows:
        figures[pk] = ReadFigures(int(partners), int(people), int(partners_read), int(people_read))
    return figures


def with_figures(announcements: list[Announcement]) -> list[Announcement]:
    """The announcements (a page of them), each with ``figures`` (ReadFigures); one query."""
    figures = read_figures([a.pk for a in announcements])
    for announcement in announcements:
        announcement.figures = figures[announcement.pk]  # type: ignore[attr-defined]
    return announcements


# --- the partner's home page ----------------------------------------------------------------------------------


@dataclass
class HomeAnnouncements:
    pinned: list[Announcement]  # mandatory, not yet opened by this person
    recent: list[Announcement]
    unread: int


def announcements_for_home(actor: Actor, *, recent: int = 3) -> HomeAnnouncements:
    """Every mandatory announcement the person has not opened, then the newest others; and the unread count."""
    qs = announcement_for_partner(actor)
    unread = qs.filter(~_read_by(actor.user))
    pinned = list(unread.filter(mandatory=True))
    others = list(qs.exclude(pk__in=[a.pk for a in pinned])[:recent])
    return HomeAnnouncements(pinned=pinned, recent=others, unread=unread.count())
