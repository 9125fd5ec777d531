"""Whatever is typed or sent (junk amounts, dates reversed, unknown SKUs, files that are not what they say, NUL
characters, huge numbers, junk ids and junk POSTs): a clear message naming the field, nothing half-written, never
a 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Campaign, CampaignMaterial, FundClaim, FundFile, FundPayment, FundPlan
from campaigns.services import funds as services
from tests.campaigns import make
from tests.conftest import tenant_client

JUNK_AMOUNTS = ["abc", "-5", "0", "12.345", "1,0,0", "NaN", "Infinity", "５만원", "1/2", "-1" + "0" * 20]
# a trillion or more: an amount, but one no plan, claim or payment here comes near
TOO_LARGE_AMOUNTS = ["9" * 40, "1000000000000", "99999999999999999999999", "₩1,000,000,000,000", "１" * 13 + "원"]
NOT_AN_AMOUNT = "Enter an amount above zero in digits"
TOO_LARGE = "That amount is too large: enter less than ₩1,000,000,000,000."
AMOUNT_CASES = [(junk, NOT_AN_AMOUNT) for junk in JUNK_AMOUNTS] + [(big, TOO_LARGE) for big in TOO_LARGE_AMOUNTS]
# a NUL anywhere in a form is answered 400 with a message by prm.core's middleware, before any view runs
NUL_REFUSED = "a form field contains a NUL character"


def campaign_post(**changes: object) -> dict[str, object]:
    start = make.today() + dt.timedelta(days=3)
    data: dict[str, object] = {"title": "캠페인", "starts_on": start.isoformat(),
                               "ends_on": (start + dt.timedelta(days=10)).isoformat(), "budget": "1,000,000"}
    data.update(changes)
    return data


@pytest.mark.parametrize(("changes", "field_text"), [
    ({"budget": "abc"}, "Enter an amount in digits"),
    ({"budget": "-1"}, "Enter an amount in digits"),
    ({"budget": "1" * 30}, "That amount is too large"),
    ({"ends_on": "2020-01-01"}, "The end date comes before the start date"),
    ({"ends_on": "2031-13-45"}, "Enter a valid date"),
    ({"opt_in_until": "2099-01-01"}, "join after the campaign ends"),
    ({"products": "AC-1, NOPE-1 nope-2"}, "No product has the SKU NOPE-1, nope-2"),
    ({"title": ""}, "This field is required"),
    ({"regions": ["99"]}, "Select a valid choice"),
    ({"kinds": ["hq"]}, "Select a valid choice"),
    ({"product_lines": ["999999999999999999999"]}, "Select a valid choice"),
    ({"starts_on": "2027-01-01", "ends_on": "2031-01-01"}, "Keep the period to two years at most"),
])
def test_a_bad_campaign_form_says_what_is_wrong_and_saves_nothing(acme, net, changes, field_text):
    make.product("AC-1", line=net.aircon)
    response = tenant_client(acme, net.hq_admin).post("/hq/campaigns/new/", campaign_post(**changes))
    assert response.status_code == 200
    assert field_text in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_material_that_is_not_what_it_says_is_refused(acme, net):
    campaign = make.campaign(net.hq_admin, publish=False)
    hq = tenant_client(acme, net.hq_admin)
    for upload in (SimpleUploadedFile("brochure.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
                   SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream"),
                   SimpleUploadedFile("sheet.xlsx", b"not a zip", "application/vnd.ms-excel"),
                   SimpleUploadedFile("empty.pdf", b"", "application/pdf")):
        response = hq.post(f"/hq/campaigns/{campaign.pk}/materials/", {"title": "x", "file": upload})
        assert response.status_code == 400, upload.name
        page = response.content.decode()
        assert "is not a file we take" in page or "The submitted file is empty" in page, upload.name
    assert not CampaignMaterial.objects.exists()
    png = SimpleUploadedFile("배너.png", make.png(), "image/png")
    assert hq.post(f"/hq/campaigns/{campaign.pk}/materials/", {"title": "", "file": png}).status_code == 302
    material = CampaignMaterial.objects.get()
    assert (material.title, material.kind) == ("배너.png", "png")
    response = hq.get(f"/campaigns/materials/{material.pk}/")
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("junk", "message"), AMOUNT_CASES)
def test_a_junk_amount_asked_for_is_refused_naming_the_field(acme, net, junk, message):
    start = make.today() + dt.timedelta(days=1)
    response = tenant_client(acme, net.dealer_a_user).post("/funds/new/", {
        "kind": "sales", "title": "판촉", "description": "설명", "starts_on": start.isoformat(),
        "ends_on": start.isoformat(), "requested_amount": junk})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FundPlan.objects.exists()


def test_a_plan_with_reversed_or_past_dates_or_bad_files_is_refused(acme, net):
    dealer = tenant_client(acme, net.dealer_a_user)
    today = make.today()
    base = {"kind": "advertising", "title": "광고", "description": "설명", "requested_amount": "1,000,000"}
    cases = [
        ({"starts_on": (today + dt.timedelta(days=5)).isoformat(), "ends_on": today.isoformat()},
         "The end date comes before the start date"),
        ({"starts_on": "2020-01-01", "ends_on": "2020-01-31"}, "This activity is already over"),
        ({"starts_on": today.isoformat(), "ends_on": today.isoformat(),
          "attachments": [SimpleUploadedFile("quote.pdf", b"<html>not a pdf", "application/pdf")]},
         "is not a file we take"),
        ({"starts_on": today.isoformat(), "ends_on": today.isoformat(),
          "attachments": [make.pdf(f"{i}.pdf") for i in range(6)]}, "Attach 5 files at most"),
        ({"starts_on": today.isoformat(), "ends_on": today.isoformat(), "kind": "lottery"}, "Select a valid choice"),
        ({"starts_on": today.isoformat(), "ends_on": today.isoformat(), "campaign": "99999999"},
         "Select a valid choice"),
    ]
    for changes, text in cases:
        response = dealer.post("/funds/new/", {**base, **changes})
        assert response.status_code == 400 and text in response.content.decode(), text
    assert not FundPlan.objects.exists() and not FundFile.objects.exists()


def test_a_plan_for_a_campaign_not_joined_is_refused(acme, net):
    campaign = make.campaign(net.hq_admin)
    dealer = tenant_client(acme, net.dealer_a_user)
    today = make.today().isoformat()
    response = dealer.post("/funds/new/", {"kind": "sales", "title": "판촉", "description": "설명",
                                           "starts_on": today, "ends_on": today, "requested_amount": "1,000",
                                           "campaign": str(campaign.pk)})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    with pytest.raises(Exception, match="campaign your organisation joined"):
        make.plan(net.dealer_a_user, made_for=campaign)
    assert not FundPlan.objects.exists()


@pytest.mark.parametrize(("junk", "message"), AMOUNT_CASES)
def test_junk_in_a_claim_an_approval_or_a_payment_is_refused_and_changes_nothing(acme, net, junk, message):
    plan = make.activity_over(make.approved_plan(net.dealer_a_user, net.hq_admin, approve="1,000,000"))
    other = make.plan(net.dealer_b_user)
    accepted = services.claim_approve(actor=make.actor(net.hq_admin), claim=make.claim(net.dealer_a_user, plan,
                                                                                       "100,000"))
    dealer, hq = tenant_client(acme, net.dealer_a_user), tenant_client(acme, net.hq_admin)
    response = dealer.post(f"/funds/{plan.pk}/claim/", {"amount": junk, "figures": "증빙"})
    assert response.status_code == 400 and message in response.content.decode()
    response = hq.post(f"/hq/funds/plans/{other.pk}/approve/", {"approved_amount": junk})
    assert response.status_code == 400 and message in response.content.decode()
    response = hq.post(f"/hq/funds/claims/{accepted.pk}/pay/", {
        f"p{accepted.pk}-amount": junk, f"p{accepted.pk}-paid_on": make.today().isoformat(),
        f"p{accepted.pk}-method": "transfer"})
    assert response.status_code == 400 and message in response.content.decode()
    other.refresh_from_db()
    assert other.status == "submitted"
    assert FundClaim.objects.count() == 1 and not FundPayment.objects.exists()


def test_junk_posts_and_junk_ids_never_give_a_500(acme, net):
    campaign = make.campaign(net.hq_admin)
    plan = make.plan(net.dealer_a_user)
    hq, dealer = tenant_client(acme, net.hq_admin), tenant_client(acme, net.dealer_a_user)
    for path in ("/hq/campaigns/new/", f"/hq/campaigns/{campaign.pk}/materials/",
                 f"/hq/campaigns/{campaign.pk}/cancel/", f"/hq/funds/plans/{plan.pk}/approve/",
                 f"/hq/funds/plans/{plan.pk}/reject/"):
        for data in ({}, {"title": "\x00" * 5, "approved_amount": "\x00", "reason": "\x00", "claim_deadline": "어제"},
                     {"approved_amount": "1" * 5000, "claim_deadline": "9999-99-99", "file": "not a file"}):
            assert hq.post(path, data).status_code < 500, (path, data)
    for path in ("/funds/new/", f"/funds/{plan.pk}/claim/", f"/funds/{plan.pk}/withdraw/",
                 f"/campaigns/{campaign.pk}/join/"):
        assert dealer.post(path, {"amount": "\x00", "starts_on": "x" * 3000}).status_code < 500, path
    for path in (f"/campaigns/{10**20}/", f"/funds/{10**20}/", f"/funds/files/{10**20}/",
                 f"/campaigns/materials/{10**20}/"):
        assert dealer.get(path).status_code == 404, path
    for path in (f"/hq/campaigns/{10**20}/", f"/hq/funds/plans/{10**20}/", "/hq/campaigns/?page=abc&status=%00",
                 "/hq/funds/?tab=<script>&page=-1", "/hq/funds/balances/?q=%00",
                 f"/hq/campaigns/{campaign.pk}/?page=x"):
        assert hq.get(path).status_code in (200, 400, 404), path
    assert dealer.get("/funds/new/?campaign=１２").status_code == 200
    assert dealer.get("/funds/new/?campaign=99999999999999999999999").status_code == 200
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_a_nul_character_in_a_form_is_refused_with_a_message(acme, net):
    response = tenant_client(acme, net.hq_admin).post("/hq/campaigns/new/", campaign_post(title="a\x00b"))
    assert response.status_code == 400 and NUL_REFUSED in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_approval_with_a_deadline_before_the_activity_ends_is_refused(acme, net):
    plan = make.plan(net.dealer_a_user, starts_in=5)
    response = tenant_client(acme, net.hq_admin).post(f"/hq/funds/plans/{plan.pk}/approve/", {
        "approved_amount": "1,000", "claim_deadline": make.today().isoformat()})
    assert response.status_code == 400
    assert "The deadline to claim must be on or after the activity" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.approved_amount is None


def test_an_amount_of_a_trillion_or_more_is_refused_as_too_large_naming_the_field(net):
    from campaigns.services.common import amount

    for big in TOO_LARGE_AMOUNTS:
        with pytest.raises(ValidationError) as refused:
            amount(big, field="requested_amount")
        assert refused.value.message_dict == {"requested_amount": [TOO_LARGE]}, big
    for junk in JUNK_AMOUNTS:
        with pytest.raises(ValidationError) as refused:
            amount(junk, field="requested_amount")
        assert NOT_AN_AMOUNT in refused.value.message_dict["requested_amount"][0], junk
    assert amount("999,999,999,999.99", field="requested_amount") == Decimal("999999999999.99")


def test_an_approval_with_a_deadline_more_than_a_year_after_the_activity_is_refused(acme, net):
    plan = make.plan(net.dealer_a_user, starts_in=5)
    hq = tenant_client(acme, net.hq_admin)
    response = hq.post(f"/hq/funds/plans/{plan.pk}/approve/", {
        "approved_amount": "1,000", "claim_deadline": "2099-12-31"})
    assert response.status_code == 400
    latest = plan.ends_on + dt.timedelta(days=services.LATEST_CLAIM_DAYS)
    assert f"on or before {latest.isoformat()}" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.plan_approve(actor=make.actor(net.hq_admin), plan=plan, approved_amount="1,000",
                              claim_deadline=latest + dt.timedelta(days=1))
    assert list(refused.value.message_dict) == ["claim_deadline"]
    plan.refresh_from_db()
    assert plan.status == "submitted" and plan.approved_amount is None
    # the latest day itself is accepted
    approved = services.plan_approve(actor=make.actor(net.hq_admin), plan=plan, approved_amount="1,000",
                                     claim_deadline=latest.isoformat())
    assert approved.claim_deadline == latest
