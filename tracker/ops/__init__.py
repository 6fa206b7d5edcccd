"""The operations layer: one function per thing an officer does, for the window, the command
line, team sync and scripts alike.

Every operation takes the open store, checks its input, writes in ONE transaction, records
itself in the activity log in that same transaction (who, when, from where, a sentence, and
every row it changed with its before and after), and returns an `OpResult`:

    op_id    the log entry's uid (`short_id`, its first 8 hex digits, is what `tracker log`
             prints and `tracker undo` takes); None if nothing changed
    kind     "set_status", "set_statuses", "add_evidence", ...
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

    commitments  set_status, set_statuses (many at once, one step), edit_commitment,
                 edit_priority, edit_plan, edit_fields, set_partners, add_commitment,
                 delete_commitment
    evidence     add_evidence, edit_evidence, move_evidence, delete_evidence
    attachments  attach_file, attach_bytes, remove_attachment, set_attachment_visibility
                 (files kept inside the database, 10 MB each at most)
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

from tracker.ops.core import Operation, operation, record_external, subscribe, unsubscribe
from tracker.ops.errors import NothingToUndo, OpsError, UndoRefused
from tracker.ops.result import OpResult

# The other operations load when first used (PEP 562): importing tracker.ops for one
# operation, as the window does at start, should not bring in openpyxl, the e-mail drafts or
# the plan-sheet reader.
_LAZY = {
    "EvidenceInput": "tracker.store.evidence",
    "NewPlanRequest": "tracker.ops.plans",
    "Reminders": "tracker.ops.rounds",
    "SentRound": "tracker.ops.rounds",
    "ValueInput": "tracker.store.indicators",
    "add_commitment": "tracker.ops.commitments",
    "add_contact": "tracker.ops.contacts",
    "add_evidence": "tracker.ops.evidence",
    "add_values": "tracker.ops.indicators",
    "apply_return": "tracker.ops.returns",
    "attach_bytes": "tracker.ops.attachments",
    "attach_file": "tracker.ops.attachments",
    "start_backup": "tracker.ops.backups",
    "start_checkpoint": "tracker.ops.backups",
    "carried_by_default": "tracker.ops.plans",
    "close_plan": "tracker.ops.plans",
    "close_round": "tracker.ops.rounds",
    "delete_commitment": "tracker.ops.commitments",
    "delete_evidence": "tracker.ops.evidence",
    "delete_narrative": "tracker.ops.narrative",
    "delete_values": "tracker.ops.indicators",
    "edit_commitment": "tracker.ops.commitments",
    "edit_contact": "tracker.ops.contacts",
    "edit_evidence": "tracker.ops.evidence",
    "edit_fields": "tracker.ops.commitments",
    "edit_indicator": "tracker.ops.indicators",
    "edit_plan": "tracker.ops.commitments",
    "edit_priority": "tracker.ops.commitments",
    "edit_value": "tracker.ops.indicators",
    "email_template": "tracker.ops.rounds",
    "export_plan_workbook": "tracker.ops.files",
    "find_commitment": "tracker.ops.refs",
    "history_of": "tracker.ops.log",
    "import_plan": "tracker.ops.plan_import",
    "latest_redoable": "tracker.ops.undo",
    "latest_undoable": "tracker.ops.undo",
    "load_plan_workbook": "tracker.ops.files",
    "log_entries": "tracker.ops.log",
    "move_contact": "tracker.ops.contacts",
    "move_evidence": "tracker.ops.evidence",
    "narrative_history": "tracker.ops.narrative",
    "new_database": "tracker.ops.files",
    "new_database_from_workbook": "tracker.ops.files",
    "new_plan_from": "tracker.ops.plans",
    "next_plan_priorities": "tracker.ops.plans",
    "parse_pasted_rows": "tracker.ops.indicators",
    "parse_status": "tracker.ops.commitments",
    "partner_named": "tracker.ops.contacts",
    "paste_values": "tracker.ops.indicators",
    "redo": "tracker.ops.undo",
    "ref_of": "tracker.ops.refs",
    "remind": "tracker.ops.rounds",
    "remove_contact": "tracker.ops.contacts",
    "read_attachment_file": "tracker.ops.attachments",
    "remove_attachment": "tracker.ops.attachments",
    "reopen_plan": "tracker.ops.plans",
    "reopen_round": "tracker.ops.rounds",
    "restore_backup": "tracker.ops.files",
    "revert_return": "tracker.ops.returns",
    "round_summary": "tracker.ops.rounds",
    "save_copy": "tracker.ops.files",
    "send_returns": "tracker.ops.returns",
    "send_round": "tracker.ops.rounds",
    "set_attachment_visibility": "tracker.ops.attachments",
    "set_email_template": "tracker.ops.rounds",
    "set_partners": "tracker.ops.commitments",
    "set_round_due": "tracker.ops.rounds",
    "set_status": "tracker.ops.commitments",
    "set_statuses": "tracker.ops.commitments",
    "undo": "tracker.ops.undo",
    "write_narrative": "tracker.ops.narrative",
    "write_narrative_text": "tracker.ops.narrative",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
    "attach_bytes",
    "attach_file",
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
    "read_attachment_file",
    "record_external",
    "redo",
    "ref_of",
    "remind",
    "remove_attachment",
    "remove_contact",
    "reopen_plan",
    "reopen_round",
    "restore_backup",
    "revert_return",
    "round_summary",
    "save_copy",
    "send_returns",
    "send_round",
    "set_attachment_visibility",
    "set_email_template",
    "set_partners",
    "set_round_due",
    "set_status",
    "set_statuses",
    "start_backup",
    "start_checkpoint",
    "subscribe",
    "undo",
    "unsubscribe",
    "write_narrative",
    "write_narrative_text",
]
