"""Writes of the partners app (STYLE.md: a services module that grew became this package).

``network``: organisations, members, product lines, supply links. ``dealer_lists``: the dealer-list import.
Callers import from ``partners.services`` directly; the split is this package's own business.
"""

from partners.services.dealer_lists import (
    ImportReport,
    can_retry,
    dealer_list_apply,
    dealer_list_cancel,
    dealer_list_commit,
    dealer_list_confirm,
    dealer_list_retry,
    dealer_list_upload_create,
    dealer_list_upload_process,
    upload_limits,
    upload_progress,
)
from partners.services.network import (
    hq_bootstrap,
    hq_organization,
    member_add,
    member_invite,
    normalize_business_number,
    organization_create,
    organization_update,
    product_line_create,
    supply_link_review,
)

__all__ = [
    "ImportReport",
    "can_retry",
    "dealer_list_apply",
    "dealer_list_cancel",
    "dealer_list_commit",
    "dealer_list_confirm",
    "dealer_list_retry",
    "dealer_list_upload_create",
    "dealer_list_upload_process",
    "hq_bootstrap",
    "hq_organization",
    "member_add",
    "member_invite",
    "normalize_business_number",
    "organization_create",
    "organization_update",
    "product_line_create",
    "supply_link_review",
    "upload_limits",
    "upload_progress",
]
