from prm.celery import app
from prm.core.tasks import TenantOnlyTask


@app.task(base=TenantOnlyTask, bind=True, acks_late=True, autoretry_for=(ConnectionError, OSError),
          max_retries=5, retry_backoff=True)
def send_notification_emails(self: TenantOnlyTask, notification_ids: list[int]) -> int:
    """E-mail each notification to its user, in the user's language. A notification already e-mailed (a
    redelivered message) is not sent twice."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db import connection, transaction
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from prm.core.models import Notification

    tenant = connection.tenant  # type: ignore[attr-defined]
    if not hasattr(tenant, "get_primary_domain"):  # schema_context's stand-in (tasks run in-process)
        from django_tenants.utils import get_tenant_model

        tenant = get_tenant_model().objects.filter(schema_name=connection.schema_name).first()  # type: ignore[attr-defined]
    domain = tenant.get_primary_domain() if tenant is not None else None
    base = settings.PORTAL_URL.format(domain=domain.domain) if domain else ""
    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (Notification.objects.select_for_update().select_related("user")
                            .filter(pk=notification_id, emailed_at__isnull=True).first())
            if notification is None:
                continue
            user = notification.user
            with translation.override(user.language or settings.LANGUAGE_CODE):
                link = base + notification.url if notification.url.startswith("/") else notification.url
                context = {"notification": notification, "text": notification.text(), "user": user, "link": link}
                subject = render_to_string("emails/notification_subject.txt", context).strip()
                body = render_to_string("emails/notification.txt", context)
            send_mail(subject, body, None, [user.email])
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent
