"""The read side of the store: every query the window and the command line may call.

The store's modules mix reads with writes (commitments, evidence, plans, ...). The window and the
command line write only through tracker.ops, and an import-linter contract (pyproject.toml)
keeps them from importing those modules; what they read, they read from here. Nothing named
here writes. Add a query here when a screen needs one; a new write goes into tracker.ops.
"""

from tracker.store.activity import LogFilter, entries, kinds, people
from tracker.store.attachments import (
    attachments_for,
    count_attachments,
    get_attachment,
    list_attachments,
)
from tracker.store.attachments import content_of as attachment_content
from tracker.store.backup import Backup, describe_backups, list_backups
from tracker.store.commitments import (
    RemovedCommitment,
    children,
    find_commitment_by_uid,
    get_commitment,
    list_commitments,
    removal_of,
    status_at,
    status_history,
    with_uid_prefix,
)
from tracker.store.contacts import contacts_by_partner, get_contact, list_contacts
from tracker.store.evidence import get_evidence, list_evidence
from tracker.store.indicators import (
    check_definition,
    check_new_values,
    check_value,
    get_indicator,
    get_value,
    latest_values,
    list_indicators,
    list_values,
    validate_value,
    value_by_uid,
    value_input,
    values_for_indicators,
)
from tracker.store.narrative import (
    Place,
    chapter_place,
    commentary_place,
    find_narrative,
    get_narrative,
    list_narratives,
    narrative_for,
    narratives_at,
    plan_place,
)
from tracker.store.office import office_name
from tracker.store.partners import (
    commitment_partner_ids,
    find_partner,
    get_partner,
    indicator_partner_ids,
    list_partners,
)
from tracker.store.plans import (
    default_plan,
    find_plan,
    get_plan,
    get_priority,
    linked_priorities,
    list_plans,
    list_priorities,
    plan_id_of_priority,
    plan_tree,
)
from tracker.store.returns import (
    PartnerRoundStatus,
    ReturnRecord,
    get_return,
    list_returns,
    round_status,
)
from tracker.store.rounds import (
    PartnerInRound,
    Round,
    RoundSummary,
    canonical_label,
    default_round_label,
    find_round,
    get_round,
    latest_open_round,
    list_rounds,
    quarter_just_ended,
)
from tracker.store.rounds import summary as round_summary
from tracker.store.sources import source_words

__all__ = [
    "Backup", "LogFilter", "PartnerInRound", "PartnerRoundStatus", "Place", "RemovedCommitment",
    "ReturnRecord", "Round", "RoundSummary", "attachment_content", "attachments_for",
    "canonical_label", "chapter_place",
    "check_definition", "check_new_values", "check_value", "children", "commentary_place",
    "commitment_partner_ids", "contacts_by_partner", "count_attachments",
    "default_plan", "default_round_label",
    "describe_backups", "entries", "find_commitment_by_uid", "find_narrative", "find_partner", "find_plan",
    "find_round", "get_attachment", "get_commitment", "get_contact", "get_evidence", "get_indicator",
    "get_narrative", "get_partner", "get_plan", "get_priority", "get_return", "get_round",
    "get_value", "indicator_partner_ids", "kinds", "latest_open_round", "latest_values",
    "linked_priorities", "list_attachments", "list_backups", "list_commitments", "list_contacts",
    "list_evidence",
    "list_indicators",
    "list_narratives", "list_partners", "list_plans", "list_priorities", "list_returns",
    "list_rounds", "list_values", "narrative_for", "narratives_at", "office_name", "people",
    "plan_id_of_priority", "plan_place", "plan_tree", "quarter_just_ended", "removal_of",
    "round_status", "round_summary", "source_words", "status_at", "status_history", "validate_value",
    "value_by_uid", "value_input", "values_for_indicators", "with_uid_prefix",
]
