"""Alerts reach real receivers on loopback: a webhook HTTP server and an aiosmtpd SMTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from crawler.alerts import (
    AlertError,
    SmtpSettings,
    notify_email,
    notify_webhook,
    smtp_from_settings,
)
from db.drift import DriftEvent, DriftResult

REGRESSION = DriftEvent(
    "regression", "http://m.test/o/1", "http://m.test", ["CC0-1.0"], ["ARR"], {"x": 1}
)
OUTAGE = DriftEvent(
    "unreachable",
    "http://l.test",
    "http://l.test",
    [],
    [],
    {"escalated": True, "consecutive_runs": 3},
)
QUIET = DriftResult(1, 2, [DriftEvent("new-page", "http://m.test/o/9", "http://m.test", [], [])])
LOUD = DriftResult(1, 2, [REGRESSION, OUTAGE, *QUIET.events])


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], bytes]]
    answer = 204

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, dict(self.headers), body))
        self.send_response(self.answer)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, type[Receiver]]]:
    handler = type("H", (Receiver,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()


def test_webhook_receives_the_regressions_as_json(webhook: tuple[str, type[Receiver]]) -> None:
    url, handler = webhook
    assert notify_webhook(url, LOUD) is True
    ((path, headers, body),) = handler.received
    assert path == "/hook"
    assert headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert (data["from_run"], data["to_run"], data["regressions_total"]) == (1, 2, 1)
    assert data["regressions"] == [
        {
            "url": "http://m.test/o/1",
            "site": "http://m.test",
            "before": ["CC0-1.0"],
            "after": ["ARR"],
        }
    ]
    assert data["unreachable_escalated"] == [{"site": "http://l.test", "consecutive_runs": 3}]
    assert data["counts"] == {"regression": 1, "unreachable": 1, "new-page": 1}


def test_webhook_stays_quiet_without_regressions(webhook: tuple[str, type[Receiver]]) -> None:
    url, handler = webhook
    assert notify_webhook(url, QUIET) is False
    assert handler.received == []
    assert notify_webhook(url, QUIET, always=True) is True
    assert json.loads(handler.received[0][2])["regressions_total"] == 0


def test_webhook_failure_is_an_error_with_the_reason(webhook: tuple[str, type[Receiver]]) -> None:
    url, handler = webhook
    handler.answer = 500
    with pytest.raises(AlertError, match="HTTP 500"):
        notify_webhook(url, LOUD)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/"
    with pytest.raises(AlertError, match="refused"):
        notify_webhook(closed, LOUD, timeout=2)
    with pytest.raises(AlertError, match="only http"):
        notify_webhook("file:///etc/passwd", LOUD)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


def test_email_alert_through_a_real_smtp_server() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = SmtpSettings(
            host="127.0.0.1", port=port, sender="watch@test", recipients=["curator@test"]
        )
        assert notify_email(QUIET, smtp) is False
        assert notify_email(LOUD, smtp) is True
    finally:
        controller.stop()
    ((sender, rcpts, raw),) = inbox.messages
    assert (sender, rcpts) == ("watch@test", ["curator@test"])
    msg = message_from_bytes(raw)
    assert msg["Subject"] == "[glamwatch] 1 regression between run 1 and run 2"
    parts = list(msg.walk())
    text = next(p for p in parts if p.get_content_type() == "text/plain").get_payload(decode=True)
    assert b"REGRESSION http://m.test/o/1: CC0-1.0 -> ARR" in text
    assert b"UNREACHABLE http://l.test: 3 runs in a row" in text
    attached = next(p for p in parts if p.get_content_type() == "application/json")
    payload = attached.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert json.loads(payload)["regressions_total"] == 1
    with pytest.raises(AlertError, match="e-mail alert via"):
        notify_email(LOUD, smtp)  # the server is gone now


def test_smtp_settings_from_glamwatch_settings() -> None:
    assert smtp_from_settings({}) is None
    smtp = smtp_from_settings(
        {
            "GLAMWATCH_SMTP_HOST": "127.0.0.1",
            "GLAMWATCH_SMTP_PORT": "2525",
            "GLAMWATCH_SMTP_TO": "a@test, b@test",
            "GLAMWATCH_SMTP_STARTTLS": "true",
        }
    )
    assert smtp == SmtpSettings(
        host="127.0.0.1", port=2525, recipients=("a@test", "b@test"), starttls=True
    )
