"""The operations layer: one function per thing an officer does, for the window, the command
line, team sync and scripts alike.

Every operation takes the open store, checks its input, writes in ONE transaction, records
itself in the activity log in that same transaction (who, when, from where, a sentence, and
every row it changed with its before and after), and returns an `OpResult`:

    op_id    the log entry's uid (`short_id`, its first 8 hex digits, is what `tracker log`
             prints and `tracker undo` takes); None if nothing changed
    kind     "set_status", "add_evidence", ...
    summary  one sentence: "Set commitment 3b from Not assessed to On track: ..."
    changes  (table, key, before, after) for every row written
    value    what the operation made: a new id, the import's ApplyResult, ...

A refusal is a `tracker.errors.TrackerError` (ValidationError naming the field, UndoRefused,
ExchangeError, ...) worded for the officer; nothing has been written.

For a script:

    from tracker import ops
    from tracker.store import open_store

    with open_store("tracker.db") as store:          # origin "script" in the log
        c = ops.find_commitment(store, "3f9a0c12")    # a REF from `tracker commitments`
        done = ops.set_status(store, c.id, "on track", "Delivered in Q2")
        ops.add_evidence(store, c.id, ops.EvidenceInput(
            "Two new officers started in July.", evidence_date="2021-07-30"))
        ops.undo(store, done.op_id)                   # refused if anything changed since

Operations (ids are the rows' ids, stable across copies; see `ref_of` for REFs):

    commitments  set_status, edit_commitment, edit_priority, edit_plan, edit_fields,
                 set_partners, add_commitment, delete_commitment
    evidence     add_evidence, edit_evidence, move_evidence, delete_evidence
    indicators   add_values, paste_values, edit_value, delete_values, edit_indicator
    narrative    write_narrative, write_narrative_text (the text of a report's foreword,
                 summary, chapter, commentary ... for a period), delete_narrative,
                 narrative_history
    plans        new_plan_from (with NewPlanRequest), close_plan, reopen_plan, import_plan
                 (a plan from the office's own spreadsheet or outline: tracker.exchange.plan_sheet)
    returns      send_returns, apply_return, revert_return
    rounds       send_round (workbooks and e-mail drafts), remind, set_round_due, close_round,
                 reopen_round, round_summary, email_template, set_email_template
    contacts     add_contact, edit_contact, remove_contact, move_contact, partner_named
    files        restore_backup, load_plan_workbook, new_database_from_workbook,
                 new_database, save_copy (these two are not logged: no plan changes)
    undo         undo, redo (compare-and-set: see tracker.ops.undo)
    log          log_entries, history_of (read the activity log)

To build a new operation, run its writes inside `operation(store, kind)` (tracker.ops.core);
to be told of every operation (the window redraws from it), `subscribe(store, callback)`; to
log changes that arrived some other way (team sync), `record_external`.
"""

from tracker.ops.commitments import (
    add_commitment,
    delete_commitment,
    edit_commitment,
    edit_fields,
    edit_plan,
    edit_priority,
    parse_status,
    set_partners,
    set_status,
)
from tracker.ops.contacts import (
    add_contact,
    edit_contact,
    move_contact,
    partner_named,
    remove_contact,
)
from tracker.ops.core import Operation, operation, record_external, subscribe, unsubscribe
from tracker.ops.errors import NothingToUndo, OpsError, UndoRefused
from tracker.ops.evidence import add_evidence, delete_evidence, edit_evidence, move_evidence
from tracker.ops.files import (
    export_plan_workbook,
    load_plan_workbook,
    new_database,
    new_database_from_workbook,
    restore_backup,
    save_copy,
)
from tracker.ops.indicators import (
    add_values,
    delete_values,
    edit_indicator,
    edit_value,
    parse_pasted_rows,
    paste_values,
)
from tracker.ops.log import history_of, log_entries
from tracker.ops.narrative import (
    delete_narrative,
    narrative_history,
    write_narrative,
    write_narrative_text,
)
from tracker.ops.plan_import import import_plan
from tracker.ops.plans import (
    NewPlanRequest,
    carried_by_default,
    close_plan,
    new_plan_from,
    next_plan_priorities,
    reopen_plan,
)
from tracker.ops.refs import find_commitment, ref_of
from tracker.ops.result import OpResult
from tracker.ops.returns import apply_return, revert_return, send_returns
from tracker.ops.rounds import (
    Reminders,
    SentRound,
    close_round,
    email_template,
    remind,
    reopen_round,
    round_summary,
    send_round,
    set_email_template,
    set_round_due,
)
from tracker.ops.undo import latest_redoable, latest_undoable, redo, undo
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput

__all__ = [
    "EvidenceInput",
    "NewPlanRequest",
    "NothingToUndo",
    "OpResult",
    "Operation",
    "OpsError",
    "Reminders",
    "SentRound",
    "UndoRefused",
    "ValueInput",
    "add_commitment",
    "add_contact",
    "add_evidence",
    "add_values",
    "apply_return",
    "carried_by_default",
    "close_plan",
    "close_round",
    "delete_commitment",
    "delete_evidence",
    "delete_narrative",
    "delete_values",
    "edit_commitment",
    "edit_contact",
    "edit_evidence",
    "edit_fields",
    "edit_indicator",
    "edit_plan",
    "edit_priority",
    "edit_value",
    "email_template",
    "export_plan_workbook",
    "find_commitment",
    "history_of",
    "import_plan",
    "latest_redoable",
    "latest_undoable",
    "load_plan_workbook",
    "log_entries",
    "move_contact",
    "move_evidence",
    "narrative_history",
    "new_database",
    "new_database_from_workbook",
    "new_plan_from",
    "next_plan_priorities",
    "operation",
    "parse_pasted_rows",
    "parse_status",
    "partner_named",
    "paste_values",
    "record_external",
    "redo",
    "ref_of",
    "remind",
    "remove_contact",
    "reopen_plan",
    "reopen_round",
    "restore_backup",
    "revert_return",
    "round_summary",
    "save_copy",
    "send_returns",
    "send_round",
    "set_email_template",
    "set_partners",
    "set_round_due",
    "set_status",
    "subscribe",
    "undo",
    "unsubscribe",
    "write_narrative",
    "write_narrative_text",
]
