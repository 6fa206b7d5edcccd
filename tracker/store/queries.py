"""The read side of the store: every query the window and the command line may call.

The store's modules mix reads with writes (commitments, evidence, plans, ...). The window and the
command line write only through tracker.ops, and an import-linter contract (pyproject.toml)
keeps them from importing those modules; what they read, they read from here. Nothing named
here writes. Add a query here when a screen needs one; a new write goes into tracker.ops.
"""

from tracker.store.activity import LogFilter, entries, kinds, people
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

__all__ = [
    "LogFilter", "PartnerRoundStatus", "RemovedCommitment", "ReturnRecord", "check_definition",
    "check_new_values", "check_value", "children", "commitment_partner_ids", "default_plan",
    "entries", "find_commitment_by_uid", "find_partner", "find_plan", "get_commitment",
    "get_evidence", "get_indicator", "get_partner", "get_plan", "get_priority", "get_return",
    "get_value", "indicator_partner_ids", "kinds", "latest_values", "linked_priorities",
    "list_commitments", "list_evidence", "list_indicators", "list_partners", "list_plans",
    "list_priorities", "list_returns", "list_values", "people", "plan_id_of_priority",
    "plan_tree", "removal_of", "round_status", "status_at", "status_history", "validate_value",
    "value_by_uid", "value_input", "values_for_indicators", "with_uid_prefix",
]
