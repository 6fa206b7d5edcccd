"""`tracker summary`: a plan's tree with status counts and its indicators' latest values."""

from __future__ import annotations

import argparse
import textwrap

from tracker.cli.command import Command, UserError
from tracker.domain.model import Series
from tracker.domain.wording import describe_change, format_value
from tracker.store import queries


class Summary(Command):
    NAME = "summary"
    HELP = "print a plan with its commitments counted by status and its indicators' latest values"
    STORE = "read"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--plan", help="plan key, period, title or id (default: the active "
                            "plan)")
        parser.add_argument("--all", action="store_true", help="every plan in the database")

    @staticmethod
    def run(args: argparse.Namespace, store) -> int:
        if args.all:
            chosen = queries.list_plans(store)
        elif args.plan:
            chosen = [queries.find_plan(store, args.plan)]
        else:
            plan = queries.default_plan(store)
            chosen = [plan] if plan else []
        if not chosen:
            raise UserError("This database has no plans yet.")
        print("\n\n".join(render(store, p.id) for p in chosen))
        return 0


def render(store, plan_id: int) -> str:
    tree = queries.plan_tree(store, plan_id)
    latest = queries.latest_values(store, plan_id)
    lines = [
        f"{tree.plan.title} ({tree.plan.period}, {tree.plan.state.label.lower()})",
        f"{tree.counts.total} commitments: {tree.counts.describe()}",
    ]
    for node in tree.priorities:
        p = node.priority
        lines.append("")
        lines.append(f"Priority {p.number}: {p.title}")
        lines.append(f"  {node.counts.total} commitments: {node.counts.describe()}")
        for ind in queries.list_indicators(store, priority_id=p.id):
            lines.append(_indicator_line(store, ind, latest.get(ind.id)))
    return "\n".join(lines)


def _indicator_line(store, ind, last) -> str:
    head = f"  - {ind.name}: "
    if last is None:
        text = head + "no value stated"
    else:
        text = head + f"{format_value(last.value, ind.unit, last.qualifier)} in {last.period}"
        values = queries.list_values(store, ind.id, Series.ACTUAL, include_withheld=False)
        first = next((v for v in values if v.period == ind.baseline_period), values[0])
        if first.id != last.id:
            change = describe_change(first.value, first.period, last.value, last.period,
                                     ind.unit, ind.polarity, band=ind.steady_band,
                                     first_qualifier=first.qualifier,
                                     last_qualifier=last.qualifier)
            text += f" ({change.sentence})"
    return textwrap.fill(text, width=100, subsequent_indent="      ")
