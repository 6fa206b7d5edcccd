"""Files attached to evidence travel with team sync: the bytes arrive whole on every laptop,
large ones included, and the activity log records the attachment, never the bytes."""

from __future__ import annotations

import hashlib
import os

import pytest
from sync_helpers import checks, content, create_team

from tracker import ops
from tracker.domain.attachments import MAX_BYTES
from tracker.domain.model import Visibility
from tracker.ops.log import LogFilter
from tracker.store import attachments


@pytest.fixture
def team(_sample_template, tmp_path, team_location):
    """Through a shared folder and through PostgreSQL (a 10 MB changeset in a bytea)."""
    return create_team(_sample_template, tmp_path, team_location, ["Alice", "Bob"])


def _open_evidence(laptop) -> int:
    return laptop.one(
        "SELECT e.id FROM evidence e JOIN commitment c ON c.id = e.commitment_id "
        "JOIN priority p ON p.id = c.priority_id JOIN plan ON plan.id = p.plan_id "
        "WHERE plan.state != 'closed' ORDER BY e.id LIMIT 1")


def test_a_file_at_the_limit_arrives_whole_and_its_removal_follows(team):
    alice, bob = team
    evidence_id = _open_evidence(alice)
    big = os.urandom(MAX_BYTES)  # 10 MB, the most a file may be
    with alice.store() as s:
        done = ops.attach_bytes(s, evidence_id, "Scrutiny board minutes.pdf", big,
                                Visibility.SHAREABLE)
    alice.sync()
    result = bob.sync()
    assert result.pulled >= 2  # the attachment row and its bytes
    with bob.store() as s:
        [found] = attachments.list_attachments(s, evidence_id)
        assert (found.file_name, found.size, found.visibility) == (
            "Scrutiny board minutes.pdf", MAX_BYTES, Visibility.SHAREABLE)
        assert found.sha256 == hashlib.sha256(big).hexdigest()
        assert attachments.content_of(s, found.id) == big
        # Bob's log names Alice's attachment (the bytes are not in the log).
        [entry] = [e for e in ops.log_entries(s, flt=LogFilter(origin="sync"))
                   if any(c.table == "attachment" for c in e.changes)]
        assert entry.who == "Alice"
        assert not any(c.table == "attachment_content" for c in entry.changes)
        ops.remove_attachment(s, found.id)
    assert checks(bob.path) == ("ok", [])
    bob.sync()
    alice.sync()
    with alice.store() as s:
        assert attachments.list_attachments(s, evidence_id) == []
        assert attachments.unused_content(s) == 1  # the bytes stay, for undo to bring back
        # Alice's own attach cannot be undone over Bob's removal: compare-and-set says so.
        with pytest.raises(ops.UndoRefused, match="Bob"):
            ops.undo(s, done.op_id)
    assert content(alice.path) == content(bob.path)
