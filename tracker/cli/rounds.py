"""Reporting rounds, partner contacts and e-mail drafts from the command line.

  tracker rounds                               every round: due date, sent, back, overdue, closed
  tracker rounds ROUND                         one round, partner by partner
  tracker send-round ROUND --out DIR [--due D] [--partner P]
                                               workbooks and an e-mail draft (.eml) per partner
  tracker remind ROUND --out DIR               reminder drafts for the overdue partners
  tracker round-due ROUND DATE                 change the date the round is due back
  tracker close-round ROUND [--reopen]
  tracker contacts [PARTNER]                   who each partner's drafts are addressed to
  tracker add-contact PARTNER NAME EMAIL [--role ROLE]
  tracker remove-contact PARTNER EMAIL
  tracker email-template send|remind [--set FILE | --reset]

ROUND may be "latest" (the latest round still open). Nothing here sends mail: drafts are files
the officer opens in their own mail program, checks and sends.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker import ops
from tracker.cli.command import Command, UserError, date_option
from tracker.domain.wording import count_of, day
from tracker.store import queries
from tracker.store.database import Store


def _round(store: Store, text: str | None) -> str:
    if not text or text.strip().lower() == "latest":
        latest = queries.latest_open_round(store)
        if latest is None:
            raise UserError("There is no open round: send one first (tracker send-round ROUND "
                            "--out DIR).")
        return latest.label
    return queries.canonical_label(text)


def _day(iso: str | None) -> str:
    return day(iso, "no date set")


class Rounds(Command):
    NAME = "rounds"
    HELP = "list the reporting rounds (due date, sent, back, overdue, closed), or one round in full"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("round", nargs="?", help='one round, e.g. "2021/22 Q2" or latest')

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        if args.round:
            return _one_round(store, _round(store, args.round))
        found = queries.list_rounds(store)
        if not found:
            print("No rounds yet: a round is made when its workbooks are sent "
                  "(tracker send-round ROUND --out DIR).")
            return 0
        default = queries.default_round_label(store)
        width = max(len(r.label) for r in found)
        for r in found:
            summary = queries.round_summary(store, r.label)
            state = f"closed {_day(r.closed_at)}" if r.is_closed else summary.state
            mark = "  (latest open)" if r.label == default and not r.is_closed else ""
            print(f"{r.label:<{width}}  due {_day(r.due_date):<11}  {summary.line}; "
                  f"{state}{mark}")
        return 0


def _one_round(store: Store, label: str) -> int:
    summary = queries.round_summary(store, label)
    r = summary.round
    closed = f", closed {_day(r.closed_at)} by {r.closed_by}" if r.is_closed else ""
    print(f"Round {r.label}, due back by {_day(r.due_date)}{closed}")
    width = max((len(p.partner_name) for p in summary.partners), default=10)
    for p in summary.partners:
        ref = f"  (return {p.return_id})" if p.state == "back" else ""
        print(f"  {p.partner_name:<{width}}  {p.label}{ref}")
    print(f"{summary.line}; {summary.count('not sent')} not sent.")
    return 0


def _print_drafts(drafts) -> None:
    for d in drafts:
        to = ", ".join(d.to) if d.to else "no addressee"
        print(f"{d.path}  {d.partner}: to {to}")
    unaddressed = [d.partner for d in drafts if not d.to]
    if unaddressed:
        print(f"{count_of(len(unaddressed), 'draft')} without an addressee, as "
              f"{'this partner has' if len(unaddressed) == 1 else 'these partners have'} no "
              f"contacts: {', '.join(unaddressed)}. Address them in your mail program, or add "
              "contacts (tracker add-contact PARTNER NAME EMAIL) and write the drafts again.")


class SendRound(Command):
    NAME = "send-round"
    HELP = "write each partner's workbook for a round and an e-mail draft (.eml) to send it with"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("round", help='the reporting round, e.g. "2021/22 Q2", or latest')
        parser.add_argument("--out", required=True, metavar="DIR",
                            help="folder for the workbooks and drafts")
        parser.add_argument("--due", help="date the workbooks are due back (default: the "
                                          "round's, else in 28 days)")
        parser.add_argument("--partner", help="only this partner (name or key)")

    @staticmethod
    def check(args: argparse.Namespace) -> None:
        args.due_date = date_option(args.due, "--due")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        result = ops.send_round(store, _round(store, args.round), args.out,
                                partner=args.partner, due_date=args.due_date)
        sent = result.value
        _print_drafts(sent.drafts)
        print(f"Round {sent.round.label}: {count_of(len(sent.workbooks), 'workbook')} and "
              f"{count_of(len(sent.drafts), 'e-mail draft')} in {args.out}, due back by "
              f"{_day(sent.round.due_date)}. Open each draft in your mail program to send it; "
              "the tracker sends nothing.")
        return 0


class Remind(Command):
    NAME = "remind"
    HELP = "write reminder e-mail drafts, with their workbook again, for the overdue partners"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("round", help='the reporting round, e.g. "2021/22 Q2", or latest')
        parser.add_argument("--out", required=True, metavar="DIR", help="folder for the drafts")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        result = ops.remind(store, _round(store, args.round), args.out)
        reminders = result.value
        if not reminders.drafts:
            print(result.summary)
            return 0
        _print_drafts(reminders.drafts)
        if reminders.sent_again:
            print("Written anew (the workbook sent had moved or changed): "
                  + ", ".join(reminders.sent_again))
        print(f"{count_of(len(reminders.drafts), 'reminder')} for round {reminders.round.label} "
              f"in {args.out}. The tracker sends nothing: open each draft to send it.")
        return 0


class RoundDue(Command):
    NAME = "round-due"
    HELP = "change the date a round's workbooks are due back"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("round", help='the round, e.g. "2021/22 Q2", or latest')
        parser.add_argument("date", help="the new due date, e.g. 31/08/2021")

    @staticmethod
    def check(args: argparse.Namespace) -> None:
        args.due_date = date_option(args.date, "date")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        print(ops.set_round_due(store, _round(store, args.round), args.due_date).summary + ".")
        return 0


class CloseRound(Command):
    NAME = "close-round"
    HELP = "close a round (no more sending or reminders), or reopen it with --reopen"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("round", help='the round, e.g. "2021/22 Q2", or latest')
        parser.add_argument("--reopen", action="store_true", help="reopen a closed round")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        label = queries.canonical_label(args.round) if args.reopen else _round(store, args.round)
        result = ops.reopen_round(store, label) if args.reopen else ops.close_round(store, label)
        print(result.summary + ".")
        return 0


class Contacts(Command):
    NAME = "contacts"
    HELP = "the contacts each partner's e-mail drafts are addressed to"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("partner", nargs="?", help="one partner (name or key)")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        chosen = ([queries.get_partner(store, ops.partner_named(store, args.partner))]
                  if args.partner else queries.list_partners(store))
        by_partner = queries.contacts_by_partner(store)
        for p in chosen:
            found = by_partner.get(p.id, [])
            print(p.name + ("" if found else ": no contacts"))
            for c in found:
                role = f" ({c.role})" if c.role else ""
                print(f"  {c.name} <{c.email}>{role}")
        return 0


class AddContact(Command):
    NAME = "add-contact"
    HELP = "add a contact to a partner: round e-mail drafts are addressed to its contacts"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("partner", help="the partner (name or key)")
        parser.add_argument("name", help="the contact's name")
        parser.add_argument("email", help="the contact's e-mail address")
        parser.add_argument("--role", help="e.g. Performance lead")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        result = ops.add_contact(store, ops.partner_named(store, args.partner), args.name,
                                 args.email, args.role)
        print(result.summary + ".")
        return 0


class RemoveContact(Command):
    NAME = "remove-contact"
    HELP = "remove a contact from a partner"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("partner", help="the partner (name or key)")
        parser.add_argument("email", help="the contact's e-mail address")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        partner_id = ops.partner_named(store, args.partner)
        found = [c for c in queries.list_contacts(store, partner_id)
                 if c.email.lower() == args.email.strip().lower()]
        if not found:
            raise UserError(f"{args.email} is not a contact of {args.partner}.")
        print(ops.remove_contact(store, found[0].id).summary + ".")
        return 0


class EmailTemplate(Command):
    NAME = "email-template"
    HELP = "print the wording of the round or reminder e-mail drafts, or change it"

    @classmethod
    def store_mode(cls, args: argparse.Namespace) -> str:
        return "write" if args.set or args.reset else "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("kind", choices=["send", "remind"])
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--set", metavar="FILE", help="use the wording in this text file "
                                                         "(first line 'Subject: ...')")
        group.add_argument("--reset", action="store_true", help="go back to the tracker's wording")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        if args.set:
            try:
                text = Path(args.set).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise UserError(f"Cannot read {args.set}: {exc}.") from exc
            print(ops.set_email_template(store, args.kind, text).summary + ".")
        elif args.reset:
            print(ops.set_email_template(store, args.kind, None).summary + ".")
        else:
            print(ops.email_template(store, args.kind), end="")
        return 0


COMMANDS = [Rounds, SendRound, Remind, RoundDue, CloseRound, Contacts, AddContact, RemoveContact,
            EmailTemplate]
