"""Signals go up (issue 26, item 3): a region shares a published report's figures with
the national hub, the hub adds them up into a national picture, and every region's
board reads that picture beside its own.

What travels is only what the board of the region could already read: the frozen,
suppressed tables of a published report over all SWVs of the steunpunt, for the
themes, the asker types and the school types. Never a case, never a draft.

Region -> hub: ``POST /landelijk/signalen/``, the body is ``signing.canonical`` of
the document and the region signs those exact bytes (header ``X-Signature``); the
header ``X-Steunpunt-Region`` names the region, so the hub knows whose key to check
before it reads anything.

Hub -> region: ``GET /landelijk/beeld/``, asked for with a signed, timed request by
a registered region (the national picture holds what regions showed only to their
boards); the answer is signed by the hub and checked against NATIONAL_HUB_PUBLIC_KEY.

The national level suppresses again with the rule of signaleren/figures.py: a
national count under the threshold reads "< N". A region's hidden cell adds nothing
to the national sum; a national number that lacks a region's hidden part is not
exact and reads "minstens N" (or "verborgen" when even that would be small). As every
region's board reads the national number beside its own, a national number is also
hidden when it minus one region's part (what the others had together) is small.
"""

import base64
import http.client
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeGuard

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from signaleren.figures import HIDDEN, cell, hidden_cells, table_cells, trend
from signaleren.models import (
    FetchedNationalPicture,
    HubRegion,
    Report,
    ReportShare,
    SharedReport,
)
from signaleren.periods import Period, PeriodError
from steunpunt import signing
from steunpunt.models import AuditAction, AuditEntry
from steunpunt.roles import Role, has_role

# The tables that go up: what the national picture shows. Gemeenten, channels and
# referrals are the region's own business.
SHARED_TABLES = ("themes", "asker_type", "school_type")
SHARE_PATH = "/landelijk/signalen/"
PICTURE_PATH = "/landelijk/beeld/"
SHARE_TIMEOUT = 5  # seconds: a coordinator waits for it
PICTURE_TIMEOUT = 2  # seconds: a board page waits for it
PICTURE_FRESH = timedelta(hours=1)  # fetched this recently: not asked again
PICTURE_RETRY = timedelta(minutes=5)  # after a failed fetch: the hub is left alone this long
REQUEST_MAX_AGE = 300  # seconds a signed request for the picture holds
MAX_BODY = 512 * 1024
ALREADY_SHARED = "already_shared"  # the hub's answer when it has this report already
REGION_HEADER = "X-Steunpunt-Region"
SIGNATURE_HEADER = "X-Signature"
TIME_HEADER = "X-Steunpunt-Time"


def _raw_key(key: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(key.strip().encode())
    except (ValueError, TypeError):
        return b""


def key_problem(key: str, *, code: str = "") -> str | None:
    """Why this text cannot be the public key of region `code` in the hub's registry:
    not an Ed25519 public key as signing.public_key() gives it, the hub's own key, or
    the key of another region (which could then sign as this one)."""
    raw = _raw_key(key)
    if len(raw) != 32:
        return _(
            "Dit is geen publieke sleutel: 32 bytes in url-safe base64, zoals "
            "manage.py signing_public_key hem toont."
        )
    if settings.NATIONAL_SIGNING_KEY and raw == _raw_key(signing.public_key()):
        return _("Dit is de sleutel van het landelijk steunpunt zelf, niet die van een regio.")
    for other in HubRegion.objects.exclude(code=code).only("code", "name", "public_key"):
        if _raw_key(other.public_key) == raw:
            return _(
                "Deze sleutel hoort al bij regio %(name)s. Elke regio heeft een eigen sleutel."
            ) % {"name": other.name}
    return None


# --- Region side: sharing a report -----------------------------------------------------


class CannotShare(Exception):
    """The report was not shared; the message is for the coordinator."""


def share_problem(report: Report) -> str | None:
    """Why this report cannot be shared with the hub, or None."""
    if not settings.NATIONAL_HUB_URL:
        return _("Er is geen landelijk steunpunt ingesteld (NATIONAL_HUB_URL).")
    if not report.is_published or not report.frozen:
        return _("Alleen een gepubliceerde rapportage kan gedeeld worden.")
    if report.samenwerkingsverband_id is not None:
        return _(
            "Alleen een rapportage over alle samenwerkingsverbanden van het steunpunt kan "
            "gedeeld worden."
        )
    if report.period is None:
        return _("Alleen een rapportage over een kalenderperiode kan gedeeld worden.")
    if ReportShare.objects.filter(report=report, succeeded=True).exists():
        return _("Deze rapportage is al gedeeld met het landelijk steunpunt.")
    return None


def _shared_tables(frozen: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's tables that go up, as published: keys, labels and what was shown."""
    tables = []
    for table in frozen.get("tables", []):
        if table.get("key") not in SHARED_TABLES:
            continue
        rows = [
            {
                "key": str(row.get("key", row["label"])),
                "label": str(row["label"]),
                "value": row.get("value"),
                "display": str(row["display"]),
            }
            for row in table["rows"]
        ]
        shared: dict[str, Any] = {
            "key": table["key"],
            "title": table["title"],
            "additive": bool(table.get("additive")),
            "rows": rows,
        }
        total = table.get("total")
        if total:
            shared["total"] = {"value": total.get("value"), "display": str(total["display"])}
        tables.append(shared)
    return tables


def share_document(report: Report) -> dict[str, Any]:
    """What the region signs and sends: nothing the report did not show."""
    frozen = report.published_figures
    published_at = report.published_at or timezone.now()
    return {
        "kind": "steunpunt.shared-report",
        "format": 1,
        "region": settings.REGION_CODE,
        "report": {
            "id": report.pk,
            "version": f"{frozen.get('version', 1)}:{published_at.isoformat()}",
            "title": report.title,
        },
        "period": {"start": report.period_start.isoformat(), "end": report.period_end.isoformat()},
        "threshold": report.threshold or settings.REPORT_SUPPRESSION_THRESHOLD,
        "tables": _shared_tables(frozen),
    }


def _hub_request(path: str, **kwargs: Any) -> urllib.request.Request:
    """A request to the hub; NATIONAL_HUB_URL is http(s) only (never file: or others)."""
    url = settings.NATIONAL_HUB_URL + path
    if not url.startswith(("http://", "https://")):
        raise ValueError("NATIONAL_HUB_URL must start with http:// or https://")
    return urllib.request.Request(url, **kwargs)  # noqa: S310


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the hub's answer, not an address to go on to: the signed request
    (replayable for REQUEST_MAX_AGE) never goes to another server."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class HubTooSlow(TimeoutError):
    """The hub's answer did not arrive in time (also when it drips in byte by byte)."""


def _ask_hub(request: urllib.request.Request, timeout: float, limit: int) -> tuple[int, bytes, str]:
    """(status, body, signature header) of the hub's answer, within `timeout` seconds
    in all (the socket's timeout alone holds per read, so a hub dripping its answer
    would hold the page) and at most `limit` bytes (more: ValueError). HTTPError for
    an answer that is not 2xx, OSError when the hub is down, slow or speaks no HTTP."""
    deadline = time.monotonic() + timeout
    try:
        with _opener.open(request, timeout=timeout) as response:
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(16 * 1024):  # what has come, not all 16 KiB
                size += len(chunk)
                if size > limit:
                    raise ValueError("the hub's answer is too large")
                if time.monotonic() > deadline:
                    raise HubTooSlow("the hub's answer took too long")
                chunks.append(chunk)
            return response.status, b"".join(chunks), response.headers.get(SIGNATURE_HEADER, "")
    except http.client.HTTPException as error:  # no HTTP at all, a cut-off answer
        raise OSError(f"not an HTTP answer: {type(error).__name__}") from error


def hub_keys() -> list[str]:
    """The hub's public keys: during a key rotation NATIONAL_HUB_PUBLIC_KEY holds the
    new and the old one, separated by commas or spaces (docs/scaling.md)."""
    return settings.NATIONAL_HUB_PUBLIC_KEY.replace(",", " ").split()


def _verified_by_hub(body: bytes, signature: str) -> None:
    """SignatureError unless one of the hub's keys signed these exact bytes."""
    for key in hub_keys():
        try:
            signing.verify(body, signature, key)
        except signing.SignatureError:
            continue
        return
    raise signing.SignatureError("no key of the hub signed this")


def _send(body: bytes) -> tuple[bool, str]:
    """POST the signed body to the hub: (accepted, what to tell the coordinator). Only
    the hub's own answer counts as accepted: a 201 with {"ok": true}; anything else
    (another site at that address, a redirect, a page of garbage) shares nothing."""
    headers = {
        "Content-Type": "application/json",
        REGION_HEADER: settings.REGION_CODE,
        SIGNATURE_HEADER: signing.sign(body),
    }
    unexpected = _(
        "Het landelijk steunpunt gaf een onverwacht antwoord (%(status)s). Er is niets "
        "gedeeld; controleer NATIONAL_HUB_URL of probeer het later opnieuw."
    )
    try:
        request = _hub_request(SHARE_PATH, data=body, method="POST", headers=headers)
        status, answer, _signature = _ask_hub(request, SHARE_TIMEOUT, MAX_BODY)
    except urllib.error.HTTPError as error:
        try:
            answered = json.loads(error.read(MAX_BODY))
            refusal, code = answered.get("error"), answered.get("code")
        except (ValueError, AttributeError, OSError, http.client.HTTPException):
            refusal = code = None
        if error.code == 409 and code == ALREADY_SHARED:
            # The hub has it: an earlier attempt got there but its answer was lost.
            return True, _("Het landelijk steunpunt had deze rapportage al ontvangen.")
        if not isinstance(refusal, str) or not refusal:
            return False, unexpected % {"status": f"HTTP {error.code}"}
        return False, _("Het landelijk steunpunt weigerde de rapportage: %(reason)s") % {
            "reason": refusal[:200]
        }
    except (OSError, ValueError):
        return False, _(
            "Het landelijk steunpunt is nu niet bereikbaar. Er is niets gedeeld; "
            "probeer het later opnieuw."
        )
    try:
        accepted = status == 201 and json.loads(answer).get("ok") is True
    except (ValueError, AttributeError):
        accepted = False
    if not accepted:
        return False, unexpected % {"status": f"HTTP {status}"}
    return True, _("Ontvangen door het landelijk steunpunt.")


def share(*, report: Report, by: User) -> ReportShare:
    """Share a published report's suppressed figures with the hub, signed by this
    region. Only a coordinator; once per report. Every attempt is recorded; one that
    the hub accepted is audited. Raises CannotShare with the reason otherwise."""
    if not has_role(by, Role.COORDINATOR):
        raise PermissionDenied
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        problem = share_problem(report)
        if problem:
            raise CannotShare(problem)
        body = signing.canonical(share_document(report))
    # Sent outside the lock: a slow hub holds no row. Two coordinators pressing at
    # once both send; the hub takes the report once and refuses the other.
    accepted, result = _send(body)
    with transaction.atomic():
        if accepted and ReportShare.objects.filter(report=report, succeeded=True).exists():
            accepted = False  # cannot happen: the hub refuses a second share
        attempt = ReportShare.objects.create(
            report=report, attempted_by=by, succeeded=accepted, result=result[:300]
        )
        if accepted:
            AuditEntry.record(actor=by, action=AuditAction.REPORT_SHARED, obj=report)
    if not accepted:
        raise CannotShare(result)
    if not settings.NATIONAL_HUB and settings.NATIONAL_HUB_PUBLIC_KEY:
        refresh_picture(force=True)  # the board sees its own share in the picture at once
    return attempt


# --- Hub side: receiving a shared report ----------------------------------------------


class Refused(Exception):
    """A shared report the hub does not take: HTTP status and a message for the region."""

    def __init__(self, status: int, message: str, code: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code  # for the region's software: "already_shared"


def _registered(code: str) -> HubRegion:
    region = HubRegion.objects.filter(code=code, active=True).first()
    if region is None:
        raise Refused(403, _("Deze regio is niet bekend bij het landelijk steunpunt."))
    return region


def _verified(region: HubRegion, body: bytes, signature: str) -> None:
    try:
        signing.verify(body, signature, region.public_key)
    except signing.SignatureError as error:
        raise Refused(403, _("De handtekening klopt niet.")) from error


def _malformed(what: str) -> Refused:
    return Refused(400, _("De rapportage is niet goed opgebouwd: %(what)s.") % {"what": what})


def _count(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _malformed(what)
    return value


def _text(value: object, what: str, length: int = 200) -> str:
    if not isinstance(value, str) or not value or len(value) > length:
        raise _malformed(what)
    return value


def _clean_tables(tables: object) -> list[dict[str, Any]]:
    """The shared tables, checked field by field and stripped to what the hub uses."""
    if not isinstance(tables, list) or not tables:
        raise _malformed("tables")
    clean = []
    for table in tables:
        if not isinstance(table, dict) or table.get("key") not in SHARED_TABLES:
            raise _malformed("tables")
        rows = table.get("rows")
        if not isinstance(rows, list) or len(rows) > 200:
            raise _malformed("rows")
        clean_rows = []
        for row in rows:
            if not isinstance(row, dict):
                raise _malformed("rows")
            clean_rows.append(
                {
                    "key": _text(row.get("key", ""), "key", 100) if row.get("key") else "",
                    "label": _text(row.get("label"), "label"),
                    "value": _count(row.get("value"), "value"),
                }
            )
        clean_table: dict[str, Any] = {
            "key": table["key"],
            "title": _text(table.get("title"), "title"),
            "additive": bool(table.get("additive")),
            "rows": clean_rows,
        }
        total = table.get("total")
        if total is not None:
            if not isinstance(total, dict):
                raise _malformed("total")
            clean_table["total"] = {"value": _count(total.get("value"), "total")}
        clean.append(clean_table)
    return clean


def _date(value: object, what: str) -> date:
    try:
        return date.fromisoformat(_text(value, what, 10))
    except ValueError as error:
        raise _malformed(what) from error


def receive(*, region_code: str, body: bytes, signature: str) -> SharedReport:
    """Take one shared report, or raise Refused: unknown region, a signature that does
    not hold, a body that is not a shared report, a report or period shared before."""
    if not settings.NATIONAL_HUB:
        raise Refused(404, _("Dit is geen landelijk steunpunt."))
    region = _registered(region_code)
    _verified(region, body, signature)
    try:
        document = json.loads(body)
    except ValueError as error:
        raise _malformed("geen JSON") from error
    if not isinstance(document, dict) or document.get("kind") != "steunpunt.shared-report":
        raise _malformed("kind")
    if _text(document.get("region"), "region", 60) != region.code:
        raise Refused(403, _("De rapportage noemt een andere regio dan de afzender."))
    report = document.get("report")
    period = document.get("period")
    if not isinstance(report, dict) or not isinstance(period, dict):
        raise _malformed("report")
    report_id = _count(report.get("id"), "report.id")
    if report_id is None:
        raise _malformed("report.id")
    start, end = _date(period.get("start"), "period"), _date(period.get("end"), "period")
    try:
        if Period(start, end).kind is None:
            raise _malformed("period")
    except PeriodError as error:
        raise _malformed("period") from error
    threshold = _count(document.get("threshold"), "threshold")
    if not threshold:
        raise _malformed("threshold")
    tables = _clean_tables(document.get("tables"))
    duplicate = Refused(409, _("Deze rapportage is al eerder gedeeld."), ALREADY_SHARED)
    if SharedReport.objects.filter(region=region, report_id=report_id).exists():
        raise duplicate
    if SharedReport.objects.filter(region=region, period_start=start, period_end=end).exists():
        raise Refused(409, _("Deze regio deelde al een rapportage over deze periode."))
    try:
        with transaction.atomic():
            return SharedReport.objects.create(
                region=region,
                report_id=report_id,
                report_version=_text(report.get("version"), "report.version", 60),
                title=_text(report.get("title"), "report.title"),
                period_start=start,
                period_end=end,
                threshold=threshold,
                tables=tables,
                signature=signature[:120],
            )
    except IntegrityError as error:  # the same report sent twice at once
        raise duplicate from error


# --- The national picture ---------------------------------------------------------------


def _national_cell(
    value: int, partial: bool, threshold: int, shown: dict[str, Any]
) -> dict[str, Any]:
    """A national number: as the national rule shows it (`shown`), unless a region hid
    part of it: then a lower bound, "minstens N", or hidden when that is small too."""
    if not partial:
        return shown
    if value >= threshold:
        return {"value": None, "display": _("minstens %(n)s") % {"n": value}, "at_least": value}
    return {"value": None, "display": HIDDEN}


def _national_table(
    parts: list[dict[str, Any]], threshold: int, previous: dict[str, Any] | None
) -> dict[str, Any]:
    """One national table from the regions' tables of the same key and period."""
    first = parts[0]
    labels: dict[str, str] = {}
    sums: dict[str, int] = {}
    own: dict[str, list[int]] = {}  # each region's part of a number, as it showed it
    partial: set[str] = set()
    total, total_partial, own_totals = 0, False, []
    for part in parts:
        for row in part["rows"]:
            key = row["key"] or row["label"]
            labels.setdefault(key, row["label"])
            sums[key] = sums.get(key, 0) + (row["value"] or 0)
            if row["value"] is None:
                partial.add(key)
            else:
                own.setdefault(key, []).append(row["value"])
        part_total = part.get("total", {}).get("value") if part.get("total") else None
        total += part_total or 0
        total_partial |= part_total is None
        own_totals.append(part_total or 0)
    # Every region's board reads the national number beside its own: the national one
    # minus its own part is what the other regions had together, so that must not be
    # small either (else two regions' 47 = 40 + 7 gives the other's 7 away).
    small_rest = {
        key
        for key, values in own.items()
        if any(0 < sums[key] - value < threshold for value in values)
    }
    total_small_rest = any(0 < total - value < threshold for value in own_totals)
    additive = bool(first.get("additive")) and "total" in first
    exact = {key: n for key, n in sums.items() if key not in partial}
    # A number that lacks a region's hidden part is not exact, so the total minus the
    # others does not give a small exact one away: only exact tables need the rule's
    # second hidden cell.
    hidden = hidden_cells(
        exact,
        threshold,
        additive=additive and not partial and not total_partial,
        also=small_rest,
        total_shown=not total_partial and not total_small_rest and total >= threshold,
    )
    shown = table_cells(exact, hidden, threshold, additive=additive and not partial)
    previous_rows = {row["key"]: row for row in previous["rows"]} if previous else {}
    rows = []
    for key, label in labels.items():
        if key in partial and key in small_rest:
            now: dict[str, Any] = {"value": None, "display": HIDDEN}
        else:
            now = _national_cell(sums[key], key in partial, threshold, shown.get(key, {}))
        row = {"key": key, "label": label, **now}
        if previous is not None:
            before = previous_rows.get(key)
            row["previous"] = before["display"] if before else "–"
            row["trend"] = trend(now, before)
        rows.append(row)
    table: dict[str, Any] = {"key": first["key"], "title": first["title"], "rows": rows}
    if additive:
        if total_small_rest:
            table["total"] = {"value": None, "display": HIDDEN}
        else:
            table["total"] = _national_cell(
                total, total_partial, threshold, cell(total, threshold, total < threshold)
            )
    return table


def national_picture() -> dict[str, Any]:
    """At the hub: per period, the national tables of what regions shared, suppressed
    again, with how many regions contributed; newest period first."""
    threshold = settings.REPORT_SUPPRESSION_THRESHOLD
    by_period: dict[tuple[date, date], list[SharedReport]] = {}
    for shared in SharedReport.objects.select_related("region").order_by("region__name"):
        by_period.setdefault((shared.period_start, shared.period_end), []).append(shared)
    pictures: dict[tuple[date, date], dict[str, Any]] = {}
    # Oldest first, so the period before (of the same kind) is made when one needs it.
    for start, end in sorted(by_period):
        reports = by_period[(start, end)]
        period = Period(start, end)
        before = pictures.get((period.previous().start, period.previous().end))
        tables = []
        for key in SHARED_TABLES:
            parts = [t for r in reports for t in r.tables if t["key"] == key]
            if not parts:
                continue
            previous = (
                next((t for t in before["tables"] if t["key"] == key), None) if before else None
            )
            tables.append(_national_table(parts, threshold, previous))
        pictures[(start, end)] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "name": period.name(),
            "regions": len(reports),
            "previous_name": before["name"] if before else None,
            "tables": tables,
        }
    periods = sorted(pictures.values(), key=lambda p: (p["end"], p["start"]), reverse=True)
    return {
        "kind": "steunpunt.national-picture",
        "format": 1,
        "made_at": timezone.now().isoformat(),
        "threshold": threshold,
        "regions": HubRegion.objects.filter(reports__isnull=False).distinct().count(),
        "periods": periods,
    }


def picture_request_data(code: str, moment: int) -> bytes:
    """What a region signs to ask for the picture: its code and the time, so an old
    request cannot be replayed later."""
    return f"GET {PICTURE_PATH} {code} {moment}".encode()


def check_picture_request(code: str, moment: str, signature: str) -> HubRegion:
    """At the hub: the region asking for the picture, or Refused."""
    if not settings.NATIONAL_HUB:
        raise Refused(404, _("Dit is geen landelijk steunpunt."))
    region = _registered(code)
    try:
        asked_at = int(moment)
    except ValueError as error:
        raise Refused(400, _("Het verzoek heeft geen geldig tijdstip.")) from error
    if abs(int(time.time()) - asked_at) > REQUEST_MAX_AGE:  # ints: no overflow
        raise Refused(403, _("Het verzoek is te oud of komt uit de toekomst."))
    _verified(region, picture_request_data(region.code, asked_at), signature)
    return region


# --- Region side: reading the national picture ------------------------------------------


@dataclass(frozen=True)
class NationalPicture:
    """What a board page shows: the picture, and when it was fetched (None: never)."""

    document: dict[str, Any] | None
    fetched_at: datetime | None
    live: bool  # made at the hub itself, now

    def period(self, start: date, end: date) -> dict[str, Any] | None:
        for period in (self.document or {}).get("periods", []):
            if period["start"] == start.isoformat() and period["end"] == end.isoformat():
                found: dict[str, Any] = period
                return found
        return None

    def beside(self, own: dict[str, Any], start: date, end: date) -> list[dict[str, Any]]:
        """The own report's shared tables with the national number on each row."""
        national = self.period(start, end)
        if national is None:
            return []
        tables = []
        for table in own.get("tables", []):
            if table.get("key") not in SHARED_TABLES:
                continue
            there = next((t for t in national["tables"] if t["key"] == table["key"]), None)
            rows_there = {row["key"]: row for row in there["rows"]} if there else {}
            tables.append(
                {
                    "title": table["title"],
                    "rows": [
                        {
                            "label": row["label"],
                            "own": row["display"],
                            "national": rows_there.get(str(row.get("key")), {}).get("display", "–"),
                        }
                        for row in table["rows"]
                    ],
                }
            )
        return tables


def _fetch() -> dict[str, Any] | None:
    """The picture from the hub, checked against the hub's key; None when the hub is
    down, slow, answers garbage or a signature that does not hold."""
    moment = int(time.time())
    code = settings.REGION_CODE
    headers = {
        REGION_HEADER: code,
        TIME_HEADER: str(moment),
        SIGNATURE_HEADER: signing.sign(picture_request_data(code, moment)),
    }
    try:
        request = _hub_request(PICTURE_PATH, headers=headers)
        _status, body, signature = _ask_hub(request, PICTURE_TIMEOUT, MAX_BODY * 8)
        _verified_by_hub(body, signature)
        document = json.loads(body)
    except (OSError, ValueError):  # SignatureError is a ValueError; HTTPError an OSError
        return None
    return document if _is_picture(document) else None


def _made_at(document: object) -> datetime | None:
    made_at = document.get("made_at") if isinstance(document, dict) else None
    try:
        return parse_datetime(made_at) if isinstance(made_at, str) else None
    except ValueError:
        return None


def _older(document: dict[str, Any], kept: object) -> bool:
    """Whether `document` was made before the picture kept: an old signed answer
    replayed (the signature holds, it is the hub's) must not undo a newer one."""
    new, old = _made_at(document), _made_at(kept)
    try:
        return new is not None and old is not None and new < old
    except TypeError:  # one with a time zone, one without: nothing to compare
        return False


def _is_picture(document: object) -> TypeGuard[dict[str, Any]]:
    """Whether a document holds what the board pages read of a national picture, so a
    hub that sends something else (an older or newer format) never breaks a page."""
    if not isinstance(document, dict) or document.get("kind") != "steunpunt.national-picture":
        return False
    periods = document.get("periods")
    if not isinstance(periods, list):
        return False
    for period in periods:
        if not isinstance(period, dict) or not isinstance(period.get("tables"), list):
            return False
        if not all(isinstance(period.get(k), str) for k in ("start", "end", "name")):
            return False
        for table in period["tables"]:
            if not isinstance(table, dict) or not isinstance(table.get("rows"), list):
                return False
            if not all(isinstance(row, dict) and "key" in row for row in table["rows"]):
                return False
    return True


def refresh_picture(*, force: bool = False) -> FetchedNationalPicture:
    """Ask the hub for the picture when the kept one is old (or `force`), at most once
    in PICTURE_RETRY after a failure; keep the last good one either way. One request
    asks at a time: it marks the row as checked first, so board pages opened at the
    same moment show the kept picture instead of all waiting for the hub."""
    kept, _created = FetchedNationalPicture.objects.get_or_create(pk=1)
    now = timezone.now()
    if not force:
        old = Q(fetched_at__isnull=True) | Q(fetched_at__lt=now - PICTURE_FRESH)
        rested = Q(checked_at__isnull=True) | Q(checked_at__lt=now - PICTURE_RETRY)
        claimed = FetchedNationalPicture.objects.filter(old & rested, pk=1).update(checked_at=now)
        if not claimed:
            return kept
    kept.checked_at = now
    document = _fetch()
    if document is not None and not _older(document, kept.document):
        kept.document, kept.fetched_at = document, now
    kept.save()
    return kept


def picture() -> NationalPicture | None:
    """The national picture for a board page: made here at the hub, fetched from the
    hub (or the last one kept) in a region, None where there is no hub at all."""
    if settings.NATIONAL_HUB:
        return NationalPicture(national_picture(), timezone.now(), live=True)
    if not settings.NATIONAL_HUB_URL or not settings.NATIONAL_HUB_PUBLIC_KEY:
        return None
    kept = refresh_picture()
    document = kept.document if _is_picture(kept.document) else None
    return NationalPicture(document, kept.fetched_at, live=False)
