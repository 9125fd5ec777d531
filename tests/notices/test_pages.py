"""HQ's notices pages: the list, one notice's counts (live while sending) with its failures and their reasons,
the progress partial htmx polls, and the summary an announcement's or campaign's page shows."""

from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.test import RequestFactory

from notices.choices import DeliveryStatus
from notices.models import Delivery
from notices.selectors import broadcast_counts, broadcast_summary
from notices.services import broadcast_fan_out
from tests import factories
from tests.conftest import tenant_client
from tests.notices.helpers import publish, run


def test_hq_follows_a_notice_while_it_is_sent_and_sees_the_failures(acme: Any,
                                                                    django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    hq = tenant_client(acme, net.hq_admin)
    item = publish(source=net.hq, organizations=[net.dealer_a, net.dealer_b, net.dealer_c],
                   actor=net.actor(net.hq_admin), capture=django_capture_on_commit_callbacks)
    broadcast_fan_out(broadcast_id=item.pk)
    # one sent, one failed for good, one waiting for another try
    Delivery.objects.filter(broadcast=item, user=net.dealer_a_user).update(status=DeliveryStatus.SENT)
    Delivery.objects.filter(broadcast=item, user=net.dealer_b_user).update(
        status=DeliveryStatus.FAILED, error="550 5.1.1 no such mailbox", attempts=1)
    Delivery.objects.filter(broadcast=item, user=net.dealer_c_user).update(error="451 4.3.0 try again later",
                                                                            attempts=1)

    listing = hq.get("/hq/notices/").content.decode()
    assert "New campaign: Summer" in listing and f'href="/hq/notices/{item.pk}/"' in listing

    page = hq.get(f"/hq/notices/{item.pk}/").content.decode()
    assert 'data-testid="count-recipients">3<' in page and 'data-testid="count-sent">1<' in page
    assert 'data-testid="count-failed">1<' in page and 'data-testid="count-pending">1<' in page
    assert "550 5.1.1 no such mailbox" in page and net.dealer_b_user.email in page
    assert "451 4.3.0 try again later" in page  # being tried again
    assert 'hx-trigger="every 1s"' in page and 'data-testid="percent">66%<' in page

    partial = hq.get(f"/notices/{item.pk}/progress/").content.decode()
    assert partial.startswith('<div id="broadcast-') and 'hx-get="/notices/' in partial

    # once done, the counts are stored and the polling stops
    Delivery.objects.filter(broadcast=item, user=net.dealer_c_user).update(status=DeliveryStatus.OPTED_OUT)
    from notices.sending import finish_if_done

    assert finish_if_done(item.pk)
    done = hq.get(f"/notices/{item.pk}/progress/").content.decode()
    assert "hx-trigger" not in done and 'data-testid="count-opted-out">1<' in done
    assert 'data-testid="percent">100%<' in done


def test_counts_while_running_and_when_done_agree(acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.hq, organizations=[net.dealer_a, net.dealer_b],
                   capture=django_capture_on_commit_callbacks)
    broadcast_fan_out(broadcast_id=item.pk)
    item.refresh_from_db()
    running = broadcast_counts([item])[item.pk]
    assert (running.recipients, running.sent, running.pending, running.percent) == (2, 0, 2, 0)
    run(item)
    item.refresh_from_db()
    done = broadcast_counts([item])[item.pk]
    assert (done.recipients, done.sent, done.pending, done.percent, done.running) == (2, 2, 0, 100, False)


def test_the_summary_tag_shows_a_sources_notices_to_hq_only(acme: Any,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.dealer_c, organizations=[net.dealer_a, net.dealer_b],
                   actor=net.actor(net.hq_admin), capture=django_capture_on_commit_callbacks)
    run(item)
    assert [s.broadcast.pk for s in broadcast_summary(net.dealer_c)] == [item.pk]
    assert broadcast_summary(net.dealer_a) == []

    template = Template("{% load notices_tags %}{% broadcast_summary source %}")

    def render(user: Any) -> str:
        request = RequestFactory().get("/", HTTP_HOST="acme.localhost")
        request.user = user
        return template.render(Context({"request": request, "source": net.dealer_c}))

    for_hq = render(net.hq_admin)
    assert 'data-testid="notice-summary"' in for_hq and "2 recipients: 2 e-mailed" in for_hq
    assert f"/hq/notices/{item.pk}/" in for_hq
    assert render(net.dealer_a_user).strip() == ""
    assert render(net.seoul_admin).strip() == ""  # not the distributor's notice


def test_hq_home_shows_the_latest_notices(acme: Any, django_capture_on_commit_callbacks: Any) -> None:
    net = factories.network()
    item = publish(source=net.dealer_c, organizations=[net.dealer_a], actor=net.actor(net.hq_admin),
                   capture=django_capture_on_commit_callbacks)
    home = tenant_client(acme, net.hq_admin).get("/hq/").content.decode()
    assert 'data-testid="home-notices"' in home and f"/hq/notices/{item.pk}/" in home


def test_junk_in_the_address_is_a_404_not_a_500(acme: Any) -> None:
    net = factories.network()
    hq = tenant_client(acme, net.hq_admin)
    for path in ("/hq/notices/999999/", f"/hq/notices/{10**30}/", f"/notices/{10**19}/progress/",
                 "/hq/notices/abc/", "/hq/notices/?page=abc", "/hq/notices/?page=99999999999999999999"):
        assert hq.get(path).status_code in (200, 404), path
    assert hq.get(f"/hq/notices/{10**30}/").status_code == 404
    assert hq.get("/hq/notices/?page=-1").status_code == 200
