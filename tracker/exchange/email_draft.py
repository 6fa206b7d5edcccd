"""E-mail drafts for a reporting round: one .eml per partner with its workbook attached.

The tracker never sends mail. It writes a draft (RFC 5322, through the standard library's
`email` package) addressed to the partner's contacts, which the officer opens in their own
mail program (Outlook opens it as an unsent message because of `X-Unsent: 1`; Thunderbird
offers "Edit as new"), reads, and sends from there. The wording comes from a template the
office can edit: a "Subject:" line, a blank line, then the message, with ${placeholders}.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate
from pathlib import Path
from string import Template

from tracker.domain.contacts import Contact
from tracker.domain.wording import count_of, listed, long_date
from tracker.exchange.errors import ExchangeError

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
OFFICE = "Police, Fire and Crime Commissioner's office"

SEND_TEMPLATE = """\
Subject: ${partner}: partner return for ${round}, due back by ${due}

Dear ${names},

Please find attached ${partner}'s partner return for ${round}: ${to_report}.

Please fill in the workbook (its Instructions sheet says how) and send it back to me by ${due}. \
If anything in it is no longer yours to report on, please say so in your reply.

Thank you,

${officer}
${office}
"""

REMIND_TEMPLATE = """\
Subject: Reminder: ${partner}'s return for ${round} was due back on ${due}

Dear ${names},

We have not yet received ${partner}'s partner return for ${round}, which was due back on \
${due}. The workbook is attached again in case the first one has gone astray.

Could you send it back as soon as you can? If something is holding it up, please let me know.

Thank you,

${officer}
${office}
"""

PLACEHOLDERS = {
    "partner": "the partner's name",
    "round": "the reporting round, e.g. 2021/22 Q2",
    "due": "the date the workbook is due back, e.g. 31 July 2021",
    "names": "the contacts' names (\"colleagues\" when there are none)",
    "to_report": "what the workbook asks for, e.g. 12 commitments and 3 indicator figures",
    "file": "the workbook's file name",
    "sent": "the date the workbook was first sent",
    "days_overdue": "how many days past the due date, e.g. 9 days",
    "officer": "your name",
    "office": "the office's name",
}


class TemplateError(ExchangeError):
    """An e-mail template that cannot be used; the message says what to change."""


def check_template(text: str) -> tuple[str, str]:
    """(subject, body) of a template, or TemplateError naming what is wrong."""
    lines = str(text or "").replace("\r\n", "\n").split("\n")
    if not lines or not lines[0].lower().startswith("subject:"):
        raise TemplateError("The template's first line must be the subject, starting "
                            "'Subject:'.")
    subject = lines[0][len("subject:"):].strip()
    if not subject:
        raise TemplateError("The template's subject line is empty.")
    body = "\n".join(lines[1:]).strip("\n")
    if not body.strip():
        raise TemplateError("The template has no message under its subject line.")
    for part in (subject, body):
        template = Template(part)
        if not template.is_valid():
            raise TemplateError("The template has a '$' that starts no placeholder; write $$ for "
                                "a dollar sign, or ${partner} and the like for a placeholder.")
        unknown = [n for n in template.get_identifiers() if n not in PLACEHOLDERS]
        if unknown:
            raise TemplateError(f"The template names ${{{unknown[0]}}}, which is not a "
                                f"placeholder; use {', '.join('${' + n + '}' for n in PLACEHOLDERS)}.")
    return subject, body


@dataclass(frozen=True)
class DraftRequest:
    """One partner's draft: who it goes to, the workbook, and what the template may say."""

    partner: str
    contacts: tuple[Contact, ...]
    workbook: Path
    round: str
    due: date
    commitments: int = 0
    indicator_rows: int = 0
    sent: date | None = None


@dataclass(frozen=True)
class WrittenDraft:
    partner: str
    path: Path
    to: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())


def _names(contacts: Iterable[Contact]) -> str:
    return listed([c.name for c in contacts]) or "colleagues"


def fields_for(request: DraftRequest, officer: str, today: date | None = None) -> dict[str, str]:
    today = today or date.today()
    parts = []
    if request.commitments:
        parts.append(count_of(request.commitments, "commitment"))
    if request.indicator_rows:
        parts.append(count_of(request.indicator_rows, "indicator figure"))
    overdue = (today - request.due).days
    return {
        "partner": request.partner,
        "round": request.round,
        "due": long_date(request.due),
        "names": _names(request.contacts),
        "to_report": " and ".join(parts) or "the items it reports on",
        "file": request.workbook.name,
        "sent": long_date(request.sent) if request.sent else "",
        "days_overdue": count_of(max(overdue, 0), "day"),
        "officer": officer,
        "office": OFFICE,
    }


def draft_message(request: DraftRequest, template: str, officer: str, *,
                  sender: str | None = None, today: date | None = None) -> EmailMessage:
    """The draft as an e-mail message with the workbook attached."""
    subject_template, body_template = check_template(template)
    values = fields_for(request, officer, today)
    subject = " ".join(Template(subject_template).substitute(values).split())
    body = Template(body_template).substitute(values).rstrip() + "\n"
    try:
        attachment = request.workbook.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"Cannot attach {request.workbook.name}: {exc.strerror or exc}.") from exc
    message = EmailMessage()
    message["Subject"] = subject
    if request.contacts:
        message["To"] = ", ".join(formataddr((c.name, c.email)) for c in request.contacts)
    if sender:
        message["From"] = formataddr((officer, sender))
    message["Date"] = formatdate(localtime=True)
    message["X-Unsent"] = "1"  # Outlook opens the file as a message to send, not one received
    message.set_content(body)
    message.add_attachment(attachment, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                           filename=request.workbook.name)
    return message


def write_draft(message: EmailMessage, path: Path) -> Path:
    """Write the message as an .eml file (CRLF line ends, as mail programs expect), whole or
    not at all."""
    # Lines up to RFC 5322's hard limit: folding a long subject at 78 characters makes the
    # standard library start the subject on a line of its own, read back with a leading space.
    data = message.as_bytes(policy=SMTP.clone(max_line_length=998))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".draft-", suffix=".eml")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ExchangeError(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    return path


def write_drafts(requests: Iterable[DraftRequest], template: str, officer: str, out_dir: str | Path,
                 *, reminder: bool = False, sender: str | None = None,
                 today: date | None = None) -> list[WrittenDraft]:
    """One .eml per request in `out_dir`, named after its workbook (`_reminder` for reminders)."""
    check_template(template)
    out = Path(out_dir)
    written = []
    for request in requests:
        message = draft_message(request, template, officer, sender=sender, today=today)
        stem = request.workbook.stem + ("_reminder" if reminder else "")
        path = write_draft(message, out / f"{stem}.eml")
        warnings = () if request.contacts else (
            f"{request.partner} has no contacts: the draft has no addressee; add one in the "
            "draft, or add the partner's contacts and write the drafts again.",)
        written.append(WrittenDraft(request.partner, path, tuple(c.email for c in request.contacts),
                                    warnings))
    return written
