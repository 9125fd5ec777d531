from django.urls import URLPattern, path

from rewards.views import tiers as views

urlpatterns: list[URLPattern] = [
    path("hq/tiers/", views.hq_tiers, name="hq_tiers"),
    path("hq/tiers/new/", views.hq_tier_program_new, name="hq_tier_program_new"),
    path("hq/tiers/<int:pk>/", views.hq_tier_program, name="hq_tier_program"),
    path("hq/tiers/<int:pk>/dry-run/", views.hq_tier_dry_run, name="hq_tier_dry_run"),
    path("hq/tiers/runs/<int:pk>/", views.hq_tier_run, name="hq_tier_run"),
    path("hq/tiers/changes/", views.hq_tier_changes, name="hq_tier_changes"),
    path("tier/", views.partner_tier, name="partner_tier"),
]
