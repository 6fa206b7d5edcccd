"""Partner returns: the workbook sent for a round, what came back, and taking it back again.

A `partner_return` row is made when a workbook is exported (the "sent" record). Importing fills
in who, when, which file (SHA-256) and counts, and applies the accepted changes in the same
transaction, each written with the return's id (the indicator values it replaced listed in
`return_change` with their fields before), so that `revert_return` can undo exactly those
changes later.

    identity    which database a workbook came from, and the key sealing its identifiers
    sent        what a partner is sent (commitments, indicator rows) with their fingerprints
    records     the return records
    kinds       the kinds of change (status, evidence, value): check, apply, revert each
    applying    apply_return, revert_return
    standing    where each partner stands in a round
"""

from tracker.store.returns.applying import ReturnChanges, RevertResult, apply_return, revert_return
from tracker.store.returns.identity import (
    DATABASE_UID_SETTING,
    EXCHANGE_SECRET_SETTING,
    database_uid,
    seal,
    signing_key,
)
from tracker.store.returns.kinds import (
    NewEvidence,
    NewStatus,
    NewValue,
    ReturnConflictError,
)
from tracker.store.returns.records import (
    ReturnRecord,
    applied_import_by_sha,
    applied_import_of,
    find_export,
    get_return,
    list_returns,
    record_export,
)
from tracker.store.returns.sent import (
    CommitmentItem,
    IndicatorRow,
    commitment_fingerprint,
    partner_by_uid,
    partner_commitments,
    partner_indicator_rows,
    periods_for_round,
    value_fingerprint,
)
from tracker.store.returns.standing import PartnerRoundStatus, round_status

__all__ = [
    "DATABASE_UID_SETTING", "EXCHANGE_SECRET_SETTING", "CommitmentItem", "IndicatorRow",
    "NewEvidence", "NewStatus", "NewValue", "PartnerRoundStatus", "ReturnChanges",
    "ReturnConflictError", "ReturnRecord", "RevertResult", "applied_import_by_sha",
    "applied_import_of", "apply_return", "commitment_fingerprint", "database_uid", "find_export",
    "get_return", "list_returns", "partner_by_uid", "partner_commitments",
    "partner_indicator_rows", "periods_for_round", "record_export", "revert_return",
    "round_status", "seal", "signing_key", "value_fingerprint",
]
