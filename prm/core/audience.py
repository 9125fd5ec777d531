"""Who something is for: partner kind, tier, segment, region and product line.

An announcement, a document, a campaign (and, the same way, a course) carries ``Audience``'s fields. Each
criterion left empty means "everyone" for that criterion; a partner must match every criterion that is set.

- ``audience_q(org)``: the filter that keeps the objects targeted at one partner (its portal's lists);
- ``audience_partners(obj)``: the partners an object is targeted at (the fan-out of its notices, HQ's counts),
  one query whatever their number.

Tiers are matched without regard to case ("gold" is "Gold"); regions are 시/도 codes (the first two digits of
a partner's ``region_code``; the renamed 강원 and 전북 match under their old and new codes).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, Left, Lower, Trim
from django.utils.translation import gettext_lazy as _

from partners.choices import OrgKind, PartnerStatus
from partners.models import Organization, ProductLine

# renamed 시/도: a partner placed under either code is in a region chosen under either
SIDO_ALIASES = {"42": "51", "51": "42", "45": "52", "52": "45"}
PARTNER_KINDS = (OrgKind.DISTRIBUTOR, OrgKind.DEALER)


class Audience(models.Model):
    """The targeting fields (abstract). An empty list targets everyone for that criterion."""

    kinds = ArrayField(models.CharField(max_length=20), default=list, blank=True, verbose_name=_("partner kinds"))
    tiers = ArrayField(models.CharField(max_length=40), default=list, blank=True, verbose_name=_("tiers"))
    segments = ArrayField(models.CharField(max_length=20), default=list, blank=True, verbose_name=_("segments"))
    regions = ArrayField(models.CharField(max_length=2), default=list, blank=True, verbose_name=_("regions"),
                         help_text=_("시/도 codes; empty: every region."))
    product_lines = models.ManyToManyField(ProductLine, blank=True, related_name="+",
                                           verbose_name=_("product lines"))

    class Meta:
        abstract = True

    def audience_summary(self) -> list[str]:
        """The criteria set, for a list or a detail page ("Dealers", "Gold, Silver", ...)."""
        from partners.choices import Segment
        from prm.core.regions import region_by_code

        kinds = dict(OrgKind.choices)
        segments = dict(Segment.choices)
        parts: list[str] = []
        if self.kinds:
            parts.append(", ".join(str(kinds.get(k, k)) for k in self.kinds))
        if self.tiers:
            parts.append(", ".join(self.tiers))
        if self.segments:
            parts.append(", ".join(str(segments.get(s, s)) for s in self.segments))
        if self.regions:
            parts.append(", ".join((r.sido if (r := region_by_code(c)) else c) for c in self.regions))
        if self.pk:
            lines = [str(line) for line in self.product_lines.all()]
            if lines:
                parts.append(", ".join(lines))
        return parts


MAX_TIERS = 20


def clean_tiers(values: Any) -> list[str]:
    """The tier names of an audience as stored: trimmed, NFC, each once whatever its case, none holding "|"
    (the lists are matched as "|gold|silver|"), 20 at most; a message on ``tiers`` otherwise."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from prm.core.text import clean_text

    tiers: list[str] = []
    for raw in values:
        tier = clean_text(raw, field="tiers", most=40)
        if "|" in tier:
            raise ValidationError({"tiers": _("A tier name can't contain “|”.")})
        if tier and tier.casefold() not in {t.casefold() for t in tiers}:
            tiers.append(tier)
    if len(tiers) > MAX_TIERS:
        raise ValidationError({"tiers": _("Name at most 20 tiers.")})
    return tiers


def _with_aliases(codes: list[str]) -> list[str]:
    return sorted({c for code in codes for c in (code, SIDO_ALIASES.get(code, code))})


def _array_join(name: str) -> Func:
    return Func(F(name), Value("|"), function="array_to_string", output_field=CharField())


def _folded(tier: str) -> str:
    # str.lower(), not casefold(): it must agree with PostgreSQL's lower() on the other side ("ß" stays "ß")
    return tier.strip().lower()


def _tier_key(tier: str) -> str:
    return f"|{_folded(tier)}|"


def audience_alias(qs: QuerySet[Any]) -> QuerySet[Any]:
    """``qs`` (of an Audience model) with the alias ``audience_q`` needs; call it once before filtering."""
    return qs.alias(audience_tiers_key=Lower(Concat(Value("|"), _array_join("tiers"), Value("|"))))


def audience_q(model: type[models.Model], org: Organization) -> Q:
    """The objects of ``model`` (an Audience) targeted at ``org``. Use on ``audience_alias(qs)``."""
    through = model.product_lines.through.objects  # type: ignore[attr-defined]
    fk = f"{model._meta.model_name}_id"
    org_lines = Organization.product_lines.through.objects.filter(organization_id=org.pk).values("productline_id")
    lines = Q(~Exists(through.filter(**{fk: OuterRef("pk")}))) | Q(
        Exists(through.filter(**{fk: OuterRef("pk")}, productline_id__in=org_lines)))
    tier = Q(tiers=[])
    if org.tier.strip():
        tier |= Q(audience_tiers_key__contains=_tier_key(org.tier))
    segments = Q(segments=[])
    if org.segments:
        segments |= Q(segments__overlap=list(org.segments))
    regions = Q(regions=[])
    if len(org.region_code) >= 2:
        regions |= Q(regions__overlap=_with_aliases([org.region_code[:2]]))
    return (Q(kinds=[]) | Q(kinds__contains=[org.kind])) & tier & segments & regions & lines


def audience_partners(obj: Audience, *, kinds: tuple[str, ...] = PARTNER_KINDS,
                      within: QuerySet[Organization] | None = None) -> QuerySet[Organization]:
    """The active partners ``obj`` is targeted at (``within`` narrows them, e.g. a distributor's own dealers)."""
    qs = within if within is not None else Organization.objects.all()
    qs = qs.filter(status=PartnerStatus.ACTIVE, kind__in=list(obj.kinds or kinds))
    if obj.tiers:
        # trimmed like audience_q's side: a partner's " Gold " is in a Gold audience in both
        qs = qs.annotate(tier_folded=Lower(Trim("tier"))).filter(tier_folded__in=[_folded(t) for t in obj.tiers])
    if obj.segments:
        qs = qs.filter(segments__overlap=list(obj.segments))
    if obj.regions:
        qs = qs.annotate(sido_code=Left("region_code", 2)).filter(sido_code__in=_with_aliases(list(obj.regions)))
    if obj.pk:
        line_ids = list(obj.product_lines.values_list("pk", flat=True))
        if line_ids:
            qs = qs.filter(Exists(Organization.product_lines.through.objects.filter(
                organization_id=OuterRef("pk"), productline_id__in=line_ids)))
    return qs
