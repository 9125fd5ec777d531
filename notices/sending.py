"""Sending the e-mail of a broadcast's deliveries: claimed in chunks under a lease, paced per tenant, one SMTP
connection per chunk, each delivery marked sent as soon as its own message is accepted. A sending task keeps
NOTICES_SMTP_CONNECTIONS chunks in flight at once (a thread and a database connection each): a message spends
most of its time waiting for the relay's answers.

Exactly once, and the one window left:

- A sender claims a chunk with ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)``: status
  ``sending``, a lease (``lease_until``) and its own ``lease_owner``. Two senders (or a task delivered twice)
  never claim the same delivery, and a redelivered task finds the chunks already sent or leased and moves on.
- Right after the relay accepts a message (250), the delivery is marked ``sent`` in a short autocommit UPDATE
  (with ``synchronous_commit = off``: the commit is visible at once; only a crash of PostgreSQL itself could
  lose it).
- A worker that dies leaves its chunk ``sending``; once the lease has run out, beat's sweep puts the unsent
  deliveries back to ``pending`` and queues a sender, which sends them. Before each message a sender renews its
  lease when it runs short (and drops any delivery it no longer owns), so a slow chunk is never taken back
  while it is still being sent.
- The window: the relay accepted a message and the worker was killed before its ``sent`` mark committed (a few
  hundred microseconds per message), or PostgreSQL crashed and lost that asynchronous commit. That delivery is
  sent again after the lease. Both copies carry the same Message-ID (``message_id()``: broadcast, user, tenant
  domain), so a receiving side that de-duplicates by Message-ID (most mailbox stores and many relays do) drops
  the second. Nothing here can close it fully: "accepted" and "recorded" live in two systems. The worker-kill
  test and the benchmark count distinct Message-IDs at the SMTP sink to show no second copy goes out otherwise.
- An opt-out is honoured at once: it turns the person's unsent deliveries of that category to ``opted_out``,
  and the claim checks opt-outs again. A sender re-reads its chunk's statuses (with the lease renewal) before
  every sub-batch of ``SUB_BATCH`` messages, so only an opt-out made while its own sub-batch is going out (a
  few tens of milliseconds) can miss that e-mail.
"""

from __future__ import annotations

import smtplib
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection

from notices import conf, throttle
from notices.choices import BroadcastStatus, DeliveryStatus
from notices.emails import AddressRefused, Composer, NoticeEmail, message_id
from notices.models import Broadcast, Delivery, OptOut
from prm.accounts.models import User

__all__ = ["message_id", "send_pending", "finish_if_done", "classify", "SendResult"]

SUB_BATCH = 25
TRANSIENT = "transient"
PERMANENT = "permanent"
BROKEN = "broken"  # the connection is gone: this message is transient and the rest of the chunk goes back


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    opted_out: int = 0
    retry_in: float | None = None  # seconds until the earliest retry this run scheduled
    chunks: int = 0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: SendResult) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.retry += other.retry
        self.opted_out += other.opted_out
        self.chunks += other.chunks
        self.errors += other.errors
        if other.retry_in is not None:
            self.retry_in = min(self.retry_in or other.retry_in, other.retry_in)


@dataclass
class Recipient:
    delivery_id: int
    user_id: int
    email: str
    language: str
    name: str
    attempts: int


def classify(exc: BaseException) -> tuple[str, str]:
    """(kind, reason) of a failed send: transient (try again later), permanent (give up), or broken (the
    connection is gone)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        text = "; ".join(f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for code, msg in exc.recipients.values())
        kind = TRANSIENT if codes and all(400 <= c < 500 for c in codes) else PERMANENT
        return kind, text[:300]
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return BROKEN, f"connection lost: {exc}"[:300]
    if isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        kind = TRANSIENT if 400 <= exc.smtp_code < 500 else PERMANENT
        if exc.smtp_code in (421,):  # the relay closes the connection after 421
            kind = BROKEN
        return kind, f"{exc.smtp_code} {msg}"[:300]
    if isinstance(exc, socket.timeout | TimeoutError | ConnectionError | OSError):
        return BROKEN, f"connection error: {exc}"[:300]
    if isinstance(exc, smtplib.SMTPException):
        return TRANSIENT, str(exc)[:300]
    if isinstance(exc, AddressRefused):
        return PERMANENT, str(exc)
    return PERMANENT, f"{type(exc).__name__}: {exc}"[:300]


def tenant_site() -> tuple[str, str, str]:
    """(portal base URL, domain, tenant name) of the current tenant, for links and Message-IDs."""
    tenant = getattr(connection, "tenant", None)
    if not hasattr(tenant, "get_primary_domain"):  # schema_context's stand-in
        from django_tenants.utils import get_tenant_model

        tenant = get_tenant_model().objects.filter(schema_name=connection.schema_name).first()  # type: ignore[attr-defined]
    domain_obj = tenant.get_primary_domain() if tenant is not None else None
    domain = domain_obj.domain if domain_obj is not None else f"{connection.schema_name}.invalid"  # type: ignore[attr-defined]
    base = settings.PORTAL_URL.format(domain=domain)
    return base, domain, getattr(tenant, "name", "") or domain


def _claim(broadcast_id: int, owner: uuid.UUID, size: int, lease: int, after: int) -> tuple[list[int], int, int]:
    """Claim up to ``size`` due deliveries with ids above ``after``; those whose person opted out meanwhile
    become opted out instead. Returns (ids to send, number opted out, highest id claimed). Starting after the
    last chunk saves each claim from stepping over the index entries of every delivery already sent."""
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} d
                SET status = CASE WHEN EXISTS (SELECT 1 FROM {OptOut._meta.db_table} o
                                               JOIN {Broadcast._meta.db_table} b ON b.id = d.broadcast_id
                                               WHERE o.user_id = d.user_id AND o.category = b.category)
                                  THEN %(opted_out)s ELSE %(sending)s END,
                    lease_until = now() + make_interval(secs => %(lease)s),
                    lease_owner = %(owner)s,
                    attempts = d.attempts + 1
                WHERE d.id IN (SELECT id FROM {table}
                               WHERE broadcast_id = %(b)s AND status = %(pending)s AND id > %(after)s
                                 AND next_attempt_at <= now()
                               ORDER BY id LIMIT %(size)s
                               FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.status""",
            {"b": broadcast_id, "owner": owner, "size": size, "lease": lease, "after": after,
             "sending": DeliveryStatus.SENDING, "opted_out": DeliveryStatus.OPTED_OUT,
             "pending": DeliveryStatus.PENDING},
        )
        rows = cursor.fetchall()
    ids = sorted(pk for pk, status in rows if status == DeliveryStatus.SENDING)
    return ids, len(rows) - len(ids), max((pk for pk, _status in rows), default=after)


def _recipients(ids: list[int]) -> list[Recipient]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT d.id, d.user_id, u.email, u.language, u.full_name, d.attempts
                FROM {Delivery._meta.db_table} d JOIN {User._meta.db_table} u ON u.id = d.user_id
                WHERE d.id = ANY(%s) ORDER BY d.id""",
            [ids],
        )
        return [Recipient(*row) for row in cursor.fetchall()]


def _renew(ids: list[int], owner: uuid.UUID, lease: int) -> set[int]:
    """Extend the lease of this sender's deliveries still to be sent; returns those (an opted-out one, or one
    the sweep took back, is no longer among them)."""
    if not ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Delivery._meta.db_table} SET lease_until = now() + make_interval(secs => %s)
                WHERE id = ANY(%s) AND status = %s AND lease_owner = %s RETURNING id""",
            [lease, ids, DeliveryStatus.SENDING, owner],
        )
        return {row[0] for row in cursor.fetchall()}


def _mark(cursor: Any, sql: str, params: list[Any]) -> None:
    # one round trip, its own implicit transaction; the commit need not wait for the disk (see the docstring)
    cursor.execute("SET LOCAL synchronous_commit = off; " + sql, params)


def _mark_sent(cursor: Any, delivery_id: int) -> None:
    _mark(cursor, f"""UPDATE {Delivery._meta.db_table}
                      SET status = %s, sent_at = now(), lease_until = NULL, lease_owner = NULL, error = ''
                      WHERE id = %s""", [DeliveryStatus.SENT, delivery_id])


def _mark_failed(cursor: Any, delivery_id: int, reason: str) -> None:
    _mark(cursor, f"""UPDATE {Delivery._meta.db_table}
                      SET status = %s, lease_until = NULL, lease_owner = NULL, error = %s
                      WHERE id = %s""", [DeliveryStatus.FAILED, reason, delivery_id])


def _mark_retry(cursor: Any, delivery_id: int, reason: str, delay: float) -> None:
    _mark(cursor, f"""UPDATE {Delivery._meta.db_table}
                      SET status = %s, lease_until = NULL, lease_owner = NULL, error = %s,
                          next_attempt_at = now() + make_interval(secs => %s)
                      WHERE id = %s""", [DeliveryStatus.PENDING, reason, delay, delivery_id])


def _release(cursor: Any, ids: list[int], owner: uuid.UUID, delay: float) -> None:
    """Give back deliveries this sender claimed but did not try (their claim did not count as an attempt)."""
    if ids:
        cursor.execute(
            f"""UPDATE {Delivery._meta.db_table}
                SET status = %s, lease_until = NULL, lease_owner = NULL, attempts = greatest(attempts - 1, 0),
                    next_attempt_at = now() + make_interval(secs => %s)
                WHERE id = ANY(%s) AND status = %s AND lease_owner = %s""",
            [DeliveryStatus.PENDING, delay, ids, DeliveryStatus.SENDING, owner],
        )


def retry_delay(attempts: int) -> float:
    return float(conf.get("NOTICES_RETRY_SECONDS")) * (2 ** max(0, attempts - 1))


def send_pending(*, broadcast_id: int, max_chunks: int | None = None) -> SendResult:
    """Send the broadcast's due deliveries, chunk after chunk, until none is left to claim (other senders work
    on other chunks meanwhile), over NOTICES_SMTP_CONNECTIONS connections at once: a message spends most of
    its time waiting for the relay's answers, so one process keeps several in flight, each in its own thread
    with its own database connection (inside a transaction, as in the tests, only this thread: the others could
    not see its rows). Each mark commits on its own."""
    result = SendResult()
    item = Broadcast.objects.filter(pk=broadcast_id).first()
    if item is None:
        return result
    base, domain, site_name = tenant_site()
    composer = Composer(item, base=base, domain=domain, site_name=site_name,
                        schema=connection.schema_name)  # type: ignore[attr-defined]
    lanes = 1 if connection.in_atomic_block else max(1, int(conf.get("NOTICES_SMTP_CONNECTIONS")))
    if lanes == 1:
        _send_lane(broadcast_id, composer, result, max_chunks)
    else:
        tenant = connection.tenant  # type: ignore[attr-defined]
        lock = threading.Lock()
        failures: list[BaseException] = []

        def lane() -> None:
            mine = SendResult()
            try:
                connection.set_tenant(tenant)  # type: ignore[attr-defined]  # this thread's own connection
                _send_lane(broadcast_id, composer, mine, max_chunks)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the task's thread below
                failures.append(exc)
            finally:
                connection.close()
                with lock:
                    result.merge(mine)

        threads = [threading.Thread(target=lane, name=f"notices-{broadcast_id}-{i}", daemon=True)
                   for i in range(lanes - 1)]
        for thread in threads:
            thread.start()
        mine = SendResult()
        try:
            _send_lane(broadcast_id, composer, mine, max_chunks)
        finally:
            for thread in threads:
                thread.join()
            with lock:
                result.merge(mine)
        if failures:
            raise failures[0]
    finish_if_done(broadcast_id)
    return result


def _send_lane(broadcast_id: int, composer: Composer, result: SendResult, max_chunks: int | None) -> None:
    """One connection's loop: claim a chunk, send it, until nothing is left to claim."""
    chunk_size = int(conf.get("NOTICES_CHUNK"))
    lease = int(conf.get("NOTICES_LEASE_SECONDS"))
    timeout = float(conf.get("NOTICES_SMTP_TIMEOUT"))
    rate = conf.emails_per_second(composer.schema)
    max_attempts = int(conf.get("NOTICES_MAX_ATTEMPTS"))
    # renew the lease before a message when less than this is left of it (a few SMTP commands' timeouts)
    margin = min(lease / 2, 4 * timeout)
    after = 0
    while max_chunks is None or result.chunks < max_chunks:
        owner = uuid.uuid4()
        started = time.monotonic()
        ids, opted_out, last = _claim(broadcast_id, owner, chunk_size, lease, after)
        result.opted_out += opted_out
        if not ids and not opted_out:
            if after == 0:
                break
            after = 0  # one more pass from the start: deliveries put back below the cursor (retries, the sweep)
            continue
        after = last
        result.chunks += 1
        if ids:
            _send_chunk(composer, _recipients(ids), owner, result, started=started, lease=lease, margin=margin,
                        timeout=timeout, rate=rate, max_attempts=max_attempts)


def _send_chunk(composer: Composer, recipients: list[Recipient], owner: uuid.UUID, result: SendResult, *,
                started: float, lease: int, margin: float, timeout: float, rate: float, max_attempts: int) -> None:
    lease_ends = started + lease
    mail_connection = get_connection(fail_silently=False, timeout=timeout)
    untried = [r.delivery_id for r in recipients]
    with connection.cursor() as cursor:
        try:
            mail_connection.open()
        except Exception as exc:  # noqa: BLE001 - the relay is down: the whole chunk is tried later
            delay = retry_delay(1)
            _release(cursor, untried, owner, delay)
            result.retry += len(untried)
            result.retry_in = min(result.retry_in or delay, delay)
            result.errors.append(classify(exc)[1])
            return
        try:
            for start in range(0, len(recipients), SUB_BATCH):
                batch = recipients[start:start + SUB_BATCH]
                # still ours and still wanted (an opt-out since the claim drops it), lease extended
                mine = _renew([r.delivery_id for r in batch], owner, lease)
                lease_ends = time.monotonic() + lease
                batch = [r for r in batch if r.delivery_id in mine]
                for r in recipients[start:start + SUB_BATCH]:
                    if r.delivery_id not in mine:
                        untried.remove(r.delivery_id)
                        result.opted_out += 1
                throttle.take(composer.schema, len(batch), rate=rate)
                for recipient in batch:
                    if lease_ends - time.monotonic() < margin:
                        if recipient.delivery_id not in _renew([recipient.delivery_id], owner, lease):
                            untried.remove(recipient.delivery_id)
                            continue
                        lease_ends = time.monotonic() + lease
                    untried.remove(recipient.delivery_id)
                    try:
                        email = composer.compose(user_id=recipient.user_id, email=recipient.email,
                                                 name=recipient.name, language=recipient.language)
                        _send(mail_connection, composer, email)
                    except Exception as exc:  # noqa: BLE001 - each outcome is recorded on its delivery
                        kind, reason = classify(exc)
                        if kind == PERMANENT or recipient.attempts >= max_attempts:
                            _mark_failed(cursor, recipient.delivery_id, reason)
                            result.failed += 1
                            result.errors.append(reason)
                        else:
                            delay = retry_delay(recipient.attempts)
                            _mark_retry(cursor, recipient.delivery_id, reason, delay)
                            result.retry += 1
                            result.retry_in = min(result.retry_in or delay, delay)
                        if kind == BROKEN:
                            delay = retry_delay(1)
                            _release(cursor, untried, owner, delay)
                            result.retry += len(untried)
                            result.retry_in = min(result.retry_in or delay, delay)
                            untried = []
                            return
                        continue
                    _mark_sent(cursor, recipient.delivery_id)
                    result.sent += 1
        finally:
            try:
                mail_connection.close()
            except Exception:  # noqa: BLE001, S110 - closing a broken connection
                pass


def _send(mail_connection: Any, composer: Composer, email: NoticeEmail) -> None:
    """One message over the chunk's connection. Django's SMTP backend gets the message as built, straight on
    its smtplib connection (what its send_messages does, without parsing our own addresses again); any other
    backend (the tests' in-memory one, the console) through send_messages."""
    smtp = getattr(mail_connection, "connection", None)
    if isinstance(mail_connection, SMTPBackend) and smtp is not None:
        smtp.sendmail(composer.envelope_from, [email.envelope_to], email.raw)
    else:
        mail_connection.send_messages([email])


def finish_if_done(broadcast_id: int) -> bool:
    """Once no delivery is waiting or being sent, store the broadcast's final counts and mark it done (one
    statement; a second call changes nothing)."""
    delivery = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Broadcast._meta.db_table} b
                SET status = %(done)s, finished_at = now(),
                    recipients = c.total, sent = c.sent, failed = c.failed, opted_out = c.opted_out
                FROM (SELECT count(*) AS total,
                             count(*) FILTER (WHERE status = %(sent)s) AS sent,
                             count(*) FILTER (WHERE status = %(failed)s) AS failed,
                             count(*) FILTER (WHERE status = %(opted_out)s) AS opted_out,
                             count(*) FILTER (WHERE status IN (%(pending)s, %(sending)s)) AS open
                      FROM {delivery} WHERE broadcast_id = %(b)s) c
                WHERE b.id = %(b)s AND b.status = %(status_sending)s AND c.open = 0""",
            {"b": broadcast_id, "done": BroadcastStatus.DONE, "status_sending": BroadcastStatus.SENDING,
             "sent": DeliveryStatus.SENT, "failed": DeliveryStatus.FAILED, "opted_out": DeliveryStatus.OPTED_OUT,
             "pending": DeliveryStatus.PENDING, "sending": DeliveryStatus.SENDING},
        )
        return cursor.rowcount > 0
