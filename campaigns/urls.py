"""Campaigns and marketing fund pages; included into the portals' URL namespace ("portals:...")."""

from django.urls import URLPattern, path

from campaigns.views import campaigns, funds

urlpatterns: list[URLPattern] = [
    # HQ runs campaigns
    path("hq/campaigns/", campaigns.hq_campaigns, name="hq_campaigns"),
    path("hq/campaigns/new/", campaigns.hq_campaign_edit, name="hq_campaign_new"),
    path("hq/campaigns/<int:pk>/", campaigns.hq_campaign, name="hq_campaign"),
    path("hq/campaigns/<int:pk>/edit/", campaigns.hq_campaign_edit, name="hq_campaign_edit"),
    path("hq/campaigns/<int:pk>/publish/", campaigns.hq_campaign_publish, name="hq_campaign_publish"),
    path("hq/campaigns/<int:pk>/close/", campaigns.hq_campaign_close, name="hq_campaign_close"),
    path("hq/campaigns/<int:pk>/cancel/", campaigns.hq_campaign_cancel, name="hq_campaign_cancel"),
    path("hq/campaigns/<int:pk>/materials/", campaigns.hq_campaign_material_add, name="hq_campaign_material_add"),
    path("hq/campaigns/materials/<int:pk>/delete/", campaigns.hq_campaign_material_delete,
         name="hq_campaign_material_delete"),
    # partners join them (HQ may look)
    path("campaigns/", campaigns.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", campaigns.campaign, name="campaign"),
    path("campaigns/<int:pk>/join/", campaigns.campaign_join, name="campaign_join"),
    path("campaigns/<int:pk>/withdraw/", campaigns.campaign_withdraw, name="campaign_withdraw"),
    path("campaigns/materials/<int:pk>/", campaigns.campaign_material, name="campaign_material"),
    # marketing funds: partners propose and claim
    path("funds/", funds.fund_plans, name="fund_plans"),
    path("funds/new/", funds.fund_plan_new, name="fund_plan_new"),
    path("funds/<int:pk>/", funds.fund_plan, name="fund_plan"),
    path("funds/<int:pk>/claim/", funds.fund_plan_claim, name="fund_plan_claim"),
    path("funds/<int:pk>/withdraw/", funds.fund_plan_withdraw, name="fund_plan_withdraw"),
    path("funds/files/<int:pk>/", funds.fund_file, name="fund_file"),
    # ... HQ decides and pays
    path("hq/funds/", funds.hq_funds, name="hq_funds"),
    path("hq/funds/balances/", funds.hq_fund_balances, name="hq_fund_balances"),
    path("hq/funds/plans/<int:pk>/", funds.hq_fund_plan, name="hq_fund_plan"),
    path("hq/funds/plans/<int:pk>/approve/", funds.hq_fund_plan_approve, name="hq_fund_plan_approve"),
    path("hq/funds/plans/<int:pk>/reject/", funds.hq_fund_plan_reject, name="hq_fund_plan_reject"),
    path("hq/funds/claims/<int:pk>/approve/", funds.hq_fund_claim_approve, name="hq_fund_claim_approve"),
    path("hq/funds/claims/<int:pk>/reject/", funds.hq_fund_claim_reject, name="hq_fund_claim_reject"),
    path("hq/funds/claims/<int:pk>/pay/", funds.hq_fund_claim_pay, name="hq_fund_claim_pay"),
]
