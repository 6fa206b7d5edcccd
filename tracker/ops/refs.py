"""REF: the short, stable name of a commitment on the command line and in scripts.

A commitment's REF is the first eight hex digits of its UUID: the same in every run and in
every copy of the database (the UUID travels with the row), unlike a row number. Any unique
start of the UUID of four digits or more, or the whole UUID, is accepted too.
"""

from __future__ import annotations

from tracker.domain.changes import short_id, uid_prefix
from tracker.domain.model import Commitment
from tracker.store import commitments
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError

REF_LENGTH = 8


def ref_of(uid: str) -> str:
    return short_id(uid)[:REF_LENGTH]


def find_commitment(store: Store, ref: str) -> Commitment:
    """The commitment a REF names; a clear refusal when none or several match."""
    text = uid_prefix(ref)
    if text is None:
        raise ValidationError(f"'{ref}' is not a commitment REF: use the ref column of "
                              "`tracker commitments`, such as 3f9a0c12.", "ref")
    found = commitments.with_uid_prefix(store, text)
    if not found:
        raise NotFoundError(f"No commitment has the REF {ref} (`tracker commitments --plan KEY` "
                            "lists them).")
    if len(found) > 1:
        raise ValidationError(f"REF {ref} matches more than one commitment; give more of its "
                              "UUID.", "ref")
    return found[0]
