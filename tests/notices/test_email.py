"""Each e-mail: the recipient's language, the notice's text and link, a per-category unsubscribe link (also as
List-Unsubscribe), and a Message-ID that is the same for every copy of one person's e-mail."""

from __future__ import annotations

from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

from django.core import mail
from django.utils import translation

from notices.emails import message_id
from notices.tokens import read_token
from tests import factories
from tests.notices.helpers import outbox_to, publish, run


def test_each_person_reads_the_email_in_their_language(acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    net.dealer_b_user.language = "ko"
    net.dealer_b_user.full_name = "김딜러"
    net.dealer_b_user.save()
    item = publish(source=net.dealer_c, organizations=[net.dealer_a, net.dealer_b],
                   capture=django_capture_on_commit_callbacks)
    run(item)

    english = outbox_to(net.dealer_a_user.email)[0]
    korean = outbox_to(net.dealer_b_user.email)[0]
    assert english.subject == "[Acme Corp] New campaign: Summer"
    assert "Hello Dealer Admin," in english.body and "Stop these e-mails:" in english.body
    with translation.override("ko"):
        expected = translation.gettext("New campaign: %(title)s") % {"title": "Summer"}
        greeting = translation.gettext("Hello %(name)s,") % {"name": "김딜러"}
        stop = translation.gettext("Stop these e-mails:")
    assert greeting == "김딜러님, 안녕하세요." and stop != "Stop these e-mails:"  # the Korean exists
    assert korean.subject == f"[Acme Corp] {expected}"
    assert greeting in korean.body and expected in korean.body and stop in korean.body
    assert "Stop these e-mails" not in korean.body
    # the HTML part says the same, the name escaped
    html = korean.alternatives[0][0]
    assert expected in html and "http://acme.localhost:8000/dealer/" in html


def test_the_message_carries_its_headers_and_both_parts(acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    net.dealer_a_user.full_name = "O'Brien <ops>, 딜러"
    net.dealer_a_user.save()
    item = publish(source=net.dealer_c, organizations=[net.dealer_a], capture=django_capture_on_commit_callbacks,
                   params={"title": "여름 <세일> & more"})
    run(item)
    email = mail.outbox[0]
    parsed = message_from_bytes(email.message().as_bytes(linesep="\r\n"))
    assert parsed["Message-ID"] == message_id(broadcast_id=item.pk, user_id=net.dealer_a_user.pk,
                                              domain="acme.localhost")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = parsed["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://acme.localhost:8000/notices/unsubscribe/")
    token = unsubscribe.rsplit("/", 2)[-2]
    assert read_token(token, schema="acme") == (net.dealer_a_user.pk, "campaigns")
    assert str(make_header(decode_header(parsed["Subject"]))) == "[Acme Corp] New campaign: 여름 <세일> & more"
    assert str(make_header(decode_header(parsed["To"]))).endswith(f"<{net.dealer_a_user.email}>")
    plain, html = parsed.get_payload()
    assert plain.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    text = plain.get_payload(decode=True).decode()
    markup = html.get_payload(decode=True).decode()
    assert "여름 <세일> & more" in text and unsubscribe in text
    assert "여름 &lt;세일&gt; &amp; more" in markup and "O&#x27;Brien &lt;ops&gt;, 딜러" in markup
    assert f'href="{unsubscribe}"' in markup


def test_the_message_id_is_the_same_for_every_copy(acme: Any) -> None:
    assert message_id(broadcast_id=7, user_id=9, domain="acme.localhost") == "<notice.7.9@acme.localhost>"
    assert message_id(broadcast_id=7, user_id=9, domain="acme.localhost") != message_id(
        broadcast_id=7, user_id=9, domain="globex.localhost")
