"""Notices about announcements that beat published (no actor) were recorded without a sender: give them the
announcement's author organisation, as ``broadcast(sender=...)`` now records it."""

from typing import Any

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps: Any, schema_editor: Any) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Broadcast = apps.get_model("notices", "Broadcast")
    Announcement = apps.get_model("announcements", "Announcement")
    source_type = ContentType.objects.filter(app_label="announcements", model="announcement").first()
    if source_type is None:
        return
    author = Announcement.objects.filter(pk=OuterRef("source_id")).values("author_organization_id")[:1]
    Broadcast.objects.filter(source_type=source_type, organization__isnull=True).update(
        organization_id=Subquery(author))


class Migration(migrations.Migration):

    dependencies = [
        ("announcements", "0002_announcement_edited_at"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notices", "0002_lighter_delivery_indexes"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
