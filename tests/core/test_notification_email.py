"""A notification's e-mail is plain text: what people typed arrives as typed, not HTML-escaped."""

from typing import Any

from django.core import mail

from prm.core.notifications import notify
from prm.core.tasks_mail import send_notification_emails
from tests import factories


def test_the_e_mail_carries_typed_text_unescaped(acme: Any) -> None:
    net = factories.network()
    [notice] = notify(users=[net.dealer_a_user], kind="test", message="HQ rejected your claim: %(reason)s",
                      params={"reason": "R&D <예산> \"초과\""}, url="/funds/", email=False)
    mail.outbox.clear()
    assert send_notification_emails([notice.pk]) == 1
    [sent] = mail.outbox
    assert "R&D <예산> \"초과\"" in sent.subject and "R&D <예산> \"초과\"" in sent.body
    assert "&amp;" not in sent.body and "&lt;" not in sent.subject
