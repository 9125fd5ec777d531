"""Writes to the partner network: organisations, their members, product lines and supply links."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from partners import bulk, permissions
from partners.choices import OrgKind, PartnerStatus, Role
from partners.models import Membership, Organization, ProductLine, SupplyLink
from prm.accounts.models import User
from prm.core.actor import Actor
from prm.core.audit import audit
from prm.core.errors import ServiceError
from prm.core.phones import normalize_phone
from prm.core.regions import resolve_address


def normalize_business_number(value: str) -> str:
    """Ten digits with a valid check digit, or ValidationError naming the field and what is wrong."""
    from partners.importing.normalise import clean_business_number

    digits, problem = clean_business_number(str(value))
    if problem:
        raise ValidationError({"business_number": _("Business registration number: %(problem)s.")
                               % {"problem": _(problem)}})
    return digits


def _place(org: Organization) -> None:
    region = resolve_address(org.address) if org.address else None
    for name, value in bulk.region_fields(region).items():
        setattr(org, name, value)


def hq_bootstrap(*, name: str, admin_email: str, admin_password: str, admin_name: str = "") -> Membership:
    """The HQ organisation and its first admin, in a brand-new tenant schema."""
    hq = Organization.objects.create(kind=OrgKind.HQ, name=name, status=PartnerStatus.ACTIVE)
    user = User.objects.create_user(admin_email, admin_password, full_name=admin_name)
    return Membership.objects.create(user=user, organization=hq, role=Role.HQ_ADMIN)


def hq_organization() -> Organization:
    return Organization.objects.filter(kind=OrgKind.HQ).order_by("id").first()  # type: ignore[return-value]


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    business_number: str | None = None,
    address: str = "",
    email: str = "",
    phone: str = "",
    product_lines: list[ProductLine] | None = None,
    supplier: Organization | None = None,
    **profile: Any,
) -> Organization:
    permissions.require(actor, "organization.create")
    if kind not in (OrgKind.DISTRIBUTOR, OrgKind.DEALER):
        raise ValidationError({"kind": _("Choose distributor or dealer.")})
    if not name or not name.strip():
        raise ValidationError({"name": _("Enter the organisation's name.")})
    bn = normalize_business_number(business_number) if business_number else None
    if kind != OrgKind.HQ and bn is None:
        raise ValidationError({"business_number": _("Enter the business registration number.")})
    if bn and Organization.objects.filter(business_number=bn).exists():
        raise ValidationError({"business_number": _("An organisation with this business number already exists.")})
    org = Organization(kind=kind, name=name.strip(), business_number=bn, address=address.strip(),
                       email=email.strip().lower(), phone=_clean_phone(phone, "phone"), **profile)
    _place(org)
    org.full_clean(exclude=["product_lines"])
    org.save()
    if product_lines:
        org.product_lines.set(product_lines)
    if supplier is not None and kind == OrgKind.DEALER:
        SupplyLink.objects.create(dealer=org, distributor=supplier, is_primary=True)
    audit(actor=actor, action="organization.create", obj=org, kind=kind)
    return org


def _clean_phone(value: str, field_name: str) -> str:
    if not (value or "").strip():
        return ""
    phone = normalize_phone(value)
    if phone is None:
        raise ValidationError({field_name: _("This is not a phone number we can call. Write it like 02-123-4567.")})
    return phone


# The profile fields HQ edits on a partner's page.
HQ_EDITABLE_FIELDS = ("name", "representative", "phone", "mobile", "email", "address", "segments", "capabilities",
                      "credit_status", "credit_limit", "tier", "status")


@transaction.atomic
def organization_update(*, actor: Actor, organization: Organization, product_lines: list[ProductLine] | None = None,
                        **values: Any) -> Organization:
    """HQ corrects a partner's profile and authorisations; the region follows the address."""
    permissions.require(actor, "organization.update")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    unknown = set(values) - set(HQ_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if "name" in values and not str(values["name"]).strip():
        raise ValidationError({"name": _("Enter the organisation's name.")})
    for name in ("phone", "mobile"):
        if name in values:
            values[name] = _clean_phone(values[name], name)
    if "email" in values:
        values["email"] = values["email"].strip().lower()
    changed = {name: value for name, value in values.items() if getattr(org, name) != value}
    for name, value in changed.items():
        setattr(org, name, value.strip() if isinstance(value, str) else value)
    if "address" in changed:
        _place(org)
    org.full_clean(exclude=["product_lines"])
    org.save()
    if product_lines is not None:
        before = set(org.product_lines.values_list("pk", flat=True))
        after = {line.pk for line in product_lines}
        if before != after:
            org.product_lines.set(product_lines)
            changed["product_lines"] = sorted(after)
    audit(actor=actor, action="organization.update", obj=org, fields=sorted(changed))
    return org


@transaction.atomic
def product_line_create(*, actor: Actor, code: str, name: str, name_en: str = "") -> ProductLine:
    permissions.require(actor, "product_line.manage")
    code = code.strip().lower()
    if not code or not name.strip():
        raise ValidationError({"name": _("Enter a code and a name.")})
    if ProductLine.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A product line with this code already exists.")})
    line = ProductLine(code=code, name=name.strip(), name_en=name_en.strip())
    line.full_clean()
    line.save()
    audit(actor=actor, action="product_line.create", obj=line)
    return line


@transaction.atomic
def member_add(*, actor: Actor, organization: Organization, email: str, role: str, password: str | None,
               full_name: str = "", language: str = "ko") -> Membership:
    permissions.require(actor, "membership.create")
    from prm.core.roles import ROLE_KIND

    if ROLE_KIND.get(role) != organization.kind:
        raise ValidationError({"role": _("This role does not fit the organisation's kind.")})
    if not (actor.is_system or actor.is_hq or actor.organization_id == organization.pk):
        raise ServiceError(_("You can only add people to your own organisation."))
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None and user.memberships.exclude(organization=organization).exists():
        raise ValidationError({"email": _("This e-mail address already has an account at another organisation. "
                                          "Use another address for this person.")})
    if user is None:
        user = User.objects.create_user(email.strip().lower(), password, full_name=full_name, language=language)
    membership, _created = Membership.objects.get_or_create(user=user, organization=organization,
                                                            defaults={"role": role})
    audit(actor=actor, action="membership.create", obj=membership, role=role)
    return membership


def member_invite(*, actor: Actor, organization: Organization, email: str, role: str, full_name: str = "",
                  language: str = "ko", domain: str, use_https: bool = False) -> Membership:
    """Add a person with no password yet and e-mail them a link to set one (sent after commit)."""
    membership = member_add(actor=actor, organization=organization, email=email, role=role, password=None,
                            full_name=full_name, language=language)
    user = membership.user

    def send() -> None:
        # Django's reset form skips users without a usable password, which is every invitee: build the link here.
        from django.contrib.auth.tokens import default_token_generator
        from django.core.mail import send_mail
        from django.template.loader import render_to_string
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        hq = hq_organization()
        context = {"organization": organization.name, "portal": hq.name if hq else domain, "site_domain": domain,
                   "protocol": "https" if use_https else "http", "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                   "token": default_token_generator.make_token(user)}
        with translation.override(user.language):
            subject = render_to_string("emails/invitation_subject.txt", context).strip()
            body = render_to_string("emails/invitation.txt", context)
        send_mail(subject, body, None, [user.email])

    transaction.on_commit(send)
    return membership

@transaction.atomic
def supply_link_review(*, actor: Actor, link: SupplyLink, approve: bool) -> SupplyLink:
    """HQ approves (the distributor may now supply and see the dealer) or refuses (the link is removed) a
    supply link a second distributor's list asked for."""
    permissions.require(actor, "supply_link.review")
    link = SupplyLink.objects.select_for_update().select_related("dealer", "distributor").get(pk=link.pk)
    if link.is_approved:
        raise ServiceError(_("This supply link was already approved."))
    if approve:
        link.is_approved = True
        link.is_primary = not SupplyLink.objects.filter(dealer=link.dealer, is_primary=True).exists()
        link.save(update_fields=["is_approved", "is_primary"])
    else:
        link.delete()
    dealer = link.dealer
    if not SupplyLink.objects.filter(dealer=dealer, is_approved=False).exists():
        dealer.needs_review = False
        dealer.save(update_fields=["needs_review", "updated_at"])
    audit(actor=actor, action="supply_link.approve" if approve else "supply_link.refuse", obj=dealer,
          distributor_id=link.distributor_id)
    return link

