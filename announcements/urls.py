"""Announcement pages; included into the portals' URL namespace ("portals:...")."""

from django.urls import URLPattern, path

from announcements import views


def _manage(portal: str, prefix: str) -> list[URLPattern]:
    v = getattr(views, portal)
    name = f"{portal}_announcement"
    return [
        path(f"{prefix}/announcements/", v["list"], name=f"{name}s"),
        path(f"{prefix}/announcements/new/", v["new"], name=f"{name}_new"),
        path(f"{prefix}/announcements/<int:pk>/", v["detail"], name=name),
        path(f"{prefix}/announcements/<int:pk>/edit/", v["edit"], name=f"{name}_edit"),
        path(f"{prefix}/announcements/<int:pk>/publish/", v["publish"], name=f"{name}_publish"),
        path(f"{prefix}/announcements/<int:pk>/withdraw/", v["withdraw"], name=f"{name}_withdraw"),
        path(f"{prefix}/announcements/<int:pk>/delete/", v["delete"], name=f"{name}_delete"),
        path(f"{prefix}/announcements/<int:pk>/unread.csv", v["unread_csv"], name=f"{name}_unread_csv"),
    ]


urlpatterns: list[URLPattern] = [
    # partners read what is for them, and the document library
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:pk>/", views.announcement, name="announcement"),
    path("announcements/files/<int:pk>/", views.announcement_file, name="announcement_file"),
    path("documents/", views.documents, name="documents"),
    # HQ writes for the network; a distributor for its own dealers
    *_manage("hq", "hq"),
    *_manage("distributor", "distributor"),
]
