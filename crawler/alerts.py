"""Alerts after a run: a JSON summary of regressions to a webhook, optionally by e-mail.

Monitors care about one thing first — an object that was open and is not any more — and about
a site that has been unreachable long enough to be escalated. Everything else stays in the
drift report. Only the standard library is used (urllib, smtplib), and a failed delivery raises
`AlertError` with the reason instead of disappearing into a log.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from db.drift import DriftResult

USER_AGENT = "OpenGLAM-Watch-alerts/0.1 (+https://github.com/openglam-watch)"
MAX_LISTED = 200  # regressions listed in one alert; the count is always exact


class AlertError(RuntimeError):
    """An alert could not be delivered (message names the target and the reason)."""


def alert_summary(result: DriftResult) -> dict[str, Any]:
    """The JSON an alert carries: exact counts, the regressions and the escalated outages."""
    regressions = result.regressions
    escalated = [e for e in result.of_kind("unreachable") if e.evidence.get("escalated")]
    return {
        "source": "openglam-watch",
        "from_run": result.from_run,
        "to_run": result.to_run,
        "counts": result.counts(),
        "regressions": [
            {"url": e.url, "site": e.site, "before": e.before, "after": e.after}
            for e in regressions[:MAX_LISTED]
        ],
        "regressions_total": len(regressions),
        "unreachable_escalated": [
            {"site": e.site, "consecutive_runs": e.evidence.get("consecutive_runs")}
            for e in escalated
        ],
    }


def needs_alert(result: DriftResult) -> bool:
    """True when there is a regression or an escalated outage to tell someone about."""
    summary = alert_summary(result)
    return bool(summary["regressions_total"] or summary["unreachable_escalated"])


def notify_webhook(
    url: str, drift_result: DriftResult, *, timeout: float = 10.0, always: bool = False
) -> bool:
    """POST the summary as JSON to `url`; False if there was nothing to report (and not `always`).

    Raises AlertError on a non-2xx answer, a refused connection or a non-http(s) URL.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise AlertError(f"webhook {url!r}: only http(s) URLs are allowed")
    if not always and not needs_alert(drift_result):
        return False
    body = json.dumps(alert_summary(drift_result), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise AlertError(f"webhook {url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise AlertError(f"webhook {url}: {reason}") from exc
    if not 200 <= status < 300:
        raise AlertError(f"webhook {url}: HTTP {status}")
    return True


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "glamwatch@localhost"
    recipients: Sequence[str] = field(default_factory=tuple)
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


SMTP_SETTINGS = {
    "GLAMWATCH_SMTP_HOST": "SMTP server for e-mail alerts; e-mail is off while it is empty",
    "GLAMWATCH_SMTP_PORT": "its port (default 25)",
    "GLAMWATCH_SMTP_FROM": "sender address (default glamwatch@localhost)",
    "GLAMWATCH_SMTP_TO": "recipients, a list or a comma-separated string",
    "GLAMWATCH_SMTP_USER": "login user, if the server wants one",
    "GLAMWATCH_SMTP_PASSWORD": "login password",
    "GLAMWATCH_SMTP_STARTTLS": "upgrade the connection with STARTTLS (default false)",
}


def smtp_from_settings(settings: Mapping[str, Any]) -> SmtpSettings | None:
    """SmtpSettings from the `GLAMWATCH_SMTP_*` settings (a Scrapy Settings object or a dict);
    None when no host is configured, i.e. e-mail alerts are off."""
    host = settings.get("GLAMWATCH_SMTP_HOST")
    if not host:
        return None
    to = settings.get("GLAMWATCH_SMTP_TO") or ()
    recipients = [r.strip() for r in to.split(",")] if isinstance(to, str) else list(to)
    starttls = settings.get("GLAMWATCH_SMTP_STARTTLS") or False
    if isinstance(starttls, str):
        starttls = starttls.strip().lower() in ("1", "true", "yes", "on")
    return SmtpSettings(
        host=str(host),
        port=int(settings.get("GLAMWATCH_SMTP_PORT") or 25),
        sender=str(settings.get("GLAMWATCH_SMTP_FROM") or "glamwatch@localhost"),
        recipients=tuple(r for r in recipients if r),
        username=settings.get("GLAMWATCH_SMTP_USER") or None,
        password=settings.get("GLAMWATCH_SMTP_PASSWORD") or None,
        starttls=bool(starttls),
    )


def _email(result: DriftResult, smtp: SmtpSettings) -> EmailMessage:
    summary = alert_summary(result)
    n = summary["regressions_total"]
    msg = EmailMessage()
    msg["Subject"] = (
        f"[glamwatch] {n} regression{'s' if n != 1 else ''} between run "
        f"{result.from_run} and run {result.to_run}"
    )
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(smtp.recipients)
    lines = [f"OpenGLAM Watch: drift from run {result.from_run} to run {result.to_run}", ""]
    for r in summary["regressions"]:
        lines.append(f"REGRESSION {r['url']}: {' '.join(r['before'])} -> {' '.join(r['after'])}")
    for u in summary["unreachable_escalated"]:
        lines.append(f"UNREACHABLE {u['site']}: {u['consecutive_runs']} runs in a row")
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(summary["counts"].items()))
    lines += ["", f"All events: {counts or 'none'}"]
    msg.set_content("\n".join(lines))
    msg.add_attachment(
        json.dumps(summary, indent=2, ensure_ascii=False).encode("utf-8"),
        maintype="application",
        subtype="json",
        filename="drift-summary.json",
    )
    return msg


def notify_email(drift_result: DriftResult, smtp: SmtpSettings, *, always: bool = False) -> bool:
    """Send the summary by e-mail; False if there was nothing to report (and not `always`)."""
    if not smtp.recipients:
        raise AlertError("e-mail alert: no recipients configured")
    if not always and not needs_alert(drift_result):
        return False
    msg = _email(drift_result, smtp)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            client.send_message(msg)
    except (smtplib.SMTPException, OSError) as exc:
        raise AlertError(f"e-mail alert via {smtp.host}:{smtp.port}: {exc}") from exc
    return True
