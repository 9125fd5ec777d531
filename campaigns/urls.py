"""Campaigns pages; included into the portals' URL namespace ("portals:...")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
