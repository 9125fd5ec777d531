"""Notices pages; included into the portals' URL namespace ("portals:...")."""

from django.urls import URLPattern, path

from notices import views

urlpatterns: list[URLPattern] = [
    path("hq/notices/", views.hq_notices, name="hq_notices"),
    path("hq/notices/<int:pk>/", views.hq_notice, name="hq_notice"),
    path("notices/<int:pk>/progress/", views.notice_progress, name="notice_progress"),
    path("notices/preferences/", views.notice_preferences, name="notice_preferences"),
    path("notices/unsubscribe/<str:token>/", views.notice_unsubscribe, name="notice_unsubscribe"),
]
