"""Rewards pages (tiers, points); included into the portals' URL namespace ("portals:...")."""

from django.urls import URLPattern

from rewards.urls.points import urlpatterns as points_urls
from rewards.urls.tiers import urlpatterns as tier_urls

urlpatterns: list[URLPattern] = [*tier_urls, *points_urls]
