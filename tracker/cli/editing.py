"""Editing the plan from the command line, and its activity log.

  tracker commitments --plan KEY       ref, plan, priority, code, status, evidence, updated, text
  tracker set-status REF STATUS --reason TEXT
  tracker add-evidence REF TEXT [--date D] [--period P] [--partner KEY] [--figure N]
                       [--link URL] [--internal]
  tracker history REF                  what happened to one commitment, newest first
  tracker log [--limit N]              the latest operations, newest first
  tracker undo [OP_ID]                 the latest operation when no id is given
  tracker redo [OP_ID]

REF is the first eight hex digits of a commitment's UUID (the `ref` column): the same in every
run and every copy of the database. Tables are tab-separated with a header line. Undo compares
before it sets: it refuses, saying what changed since and who or which return changed it,
rather than overwrite newer work.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from tracker import ops
from tracker.cli.command import Command, UserError, print_done, tsv
from tracker.domain.model import CommitmentNode, Visibility
from tracker.store import queries

COMMITMENTS_HEADER = ("ref", "plan", "priority", "code", "status", "evidence", "updated", "text")
LOG_HEADER = ("id", "when", "who", "origin", "what")
DEFAULT_LOG_LIMIT = 50


def when(stamp: str) -> str:
    """A stored stamp as the tables print it: UTC to the second, 2021-09-30T14:05:09Z."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Commitments(Command):
    NAME = "commitments"
    HELP = "list a plan's commitments and sub-points, tab-separated, with the REF each command takes"
    STORE = "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--plan", metavar="KEY",
                            help="plan key, period, title or id (default: the active plan)")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        plan = queries.find_plan(store, args.plan) if args.plan else queries.default_plan(store)
        if plan is None:
            raise UserError("This database has no plans yet.")
        tree = queries.plan_tree(store, plan.id)
        print(tsv(*COMMITMENTS_HEADER))

        def lines(node: CommitmentNode, number: int) -> None:
            c = node.commitment
            print(tsv(ops.ref_of(c.uid), plan.ref, number, c.code or "",
                      c.status.label, node.evidence_count, c.updated_at[:10], c.text))
            for child in node.children:
                lines(child, number)

        for priority in tree.priorities:
            for node in priority.commitments:
                lines(node, priority.priority.number)
        return 0


class SetStatus(Command):
    NAME = "set-status"
    HELP = "change a commitment's status, with the reason its history keeps"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("ref", metavar="REF", help="the commitment (see `tracker commitments`)")
        parser.add_argument("status", metavar="STATUS",
                            help='the new status as a word, in any case: "on track", "Complete"')
        parser.add_argument("--reason", required=True, metavar="TEXT",
                            help="why the status changes (kept in the history)")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        c = ops.find_commitment(store, args.ref)
        done = ops.set_status(store, c.id, args.status, args.reason)
        print_done(done)
        return 0


class AddEvidence(Command):
    NAME = "add-evidence"
    HELP = "add evidence to a commitment (shareable with partners unless --internal)"
    STORE = "write"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("ref", metavar="REF", help="the commitment (see `tracker commitments`)")
        parser.add_argument("text", metavar="TEXT", help="the evidence statement")
        parser.add_argument("--date", metavar="D", help="its date: 2021-09-30 or 30/09/2021")
        parser.add_argument("--period", metavar="P", help='the period it covers, e.g. "2021/22 Q2"')
        parser.add_argument("--partner", metavar="KEY", help="the partner it came from (key or name)")
        parser.add_argument("--figure", metavar="N", help="a figure, e.g. 1,250")
        parser.add_argument("--unit", metavar="UNIT", help="the figure's unit, e.g. officers")
        parser.add_argument("--link", metavar="URL", help="a web link (http, https or mailto)")
        parser.add_argument("--internal", action="store_true",
                            help="internal only: never sent to partners or published")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        c = ops.find_commitment(store, args.ref)
        partner_id = ops.partner_named(store, args.partner) if args.partner else None
        visibility = Visibility.INTERNAL if args.internal else Visibility.SHAREABLE
        done = ops.add_evidence(store, c.id, ops.EvidenceInput(
            args.text, args.date, args.period, partner_id, args.figure, args.unit, args.link,
            visibility))
        print_done(done)
        return 0


class History(Command):
    NAME = "history"
    HELP = "what happened to one commitment, newest first, tab-separated"
    STORE = "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("ref", metavar="REF", help="the commitment (see `tracker commitments`)")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        c = ops.find_commitment(store, args.ref)
        print(tsv(*LOG_HEADER))
        for line in ops.history_of(store, c.id):
            print(tsv(line.op_id, when(line.at), line.who, line.origin, line.what))
        return 0


class Log(Command):
    NAME = "log"
    HELP = "the activity log: the latest operations, newest first, tab-separated"
    STORE = "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=DEFAULT_LOG_LIMIT, metavar="N",
                            help=f"at most N operations (default {DEFAULT_LOG_LIMIT}; 0 for all)")

    @staticmethod
    def check(args: argparse.Namespace) -> None:
        if args.limit < 0:
            raise UserError("--limit must be 0 (all) or more.")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        print(tsv(*LOG_HEADER))
        for entry in ops.log_entries(store, limit=args.limit or None):
            print(tsv(entry.short_id, when(entry.at), entry.who, entry.origin, entry.summary))
        return 0


class _Replay(Command):
    """Undo or redo: compare-and-set, refused in words when something changed since."""

    STORE = "write"
    step = staticmethod(ops.undo)

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("op_id", nargs="?", metavar="OP_ID", help="an id from `tracker log`")

    @classmethod
    def run(cls, args: argparse.Namespace, store) -> int:
        done = cls.step(store, args.op_id)
        print_done(done)
        return 0


class Undo(_Replay):
    NAME = "undo"
    HELP = ("undo an operation (the latest when no id is given), unless what it changed has "
            "been changed since")
    step = staticmethod(ops.undo)


class Redo(_Replay):
    NAME = "redo"
    HELP = "do again an operation that was undone (the latest undone when no id is given)"
    step = staticmethod(ops.redo)


COMMANDS = [Commitments, SetStatus, AddEvidence, History, Log, Undo, Redo]
