"""A laptop killed in the middle of a sync, a base copy lost, copies of a database, and
entries the log must not be trusted with: the database is whole after each, and the next
sync carries on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sync_helpers import Laptop, checks, content, create_team, open_plan_commitments

from tracker.store import commitments, evidence
from tracker.store.evidence import EvidenceInput
from tracker.sync import base as base_copy
from tracker.sync import conflicts as conflict_store
from tracker.sync import engine
from tracker.sync.entry import MAGIC, Entry, new_key, seal
from tracker.sync.errors import CopyDetectedError, EntryRefusedError, NotAMemberError
from tracker.sync.folder_log import LOG_DIR, FolderLog


class Killed(Exception):
    pass


def kill_at(step):
    def interrupt(name):
        if name == step:
            raise Killed(step)
    return interrupt


@pytest.fixture
def pair(_sample_template, tmp_path):
    return create_team(_sample_template, tmp_path, str(tmp_path / "share"), ["Alice", "Bob"])


def entries_in(share):
    return sorted(p.name for p in (share / LOG_DIR).iterdir())


@pytest.mark.parametrize("step", engine.STEPS)
def test_a_laptop_killed_at_any_step_of_a_sync_loses_nothing(pair, tmp_path, step):
    alice, bob = pair
    c1, c2 = open_plan_commitments(alice)[:2]
    with alice.store() as s:
        commitments.update_commitment(s, c1, lead="Alice's lead")
        commitments.update_commitment(s, c2, code="A1")
    alice.sync()
    with bob.store() as s:
        commitments.update_commitment(s, c1, lead="Bob's lead")  # a conflict with Alice
        new = evidence.add_evidence(s, c2, EvidenceInput("Written on Bob's laptop"))
    before = content(bob.path)
    with pytest.raises(Killed):
        bob.sync(interrupt=kill_at(step))
    assert checks(bob.path) == ("ok", [])
    if engine.STEPS.index(step) < engine.STEPS.index("merged"):
        assert content(bob.path) == before  # nothing merged yet: the database as it was
    for name in entries_in(tmp_path / "share"):
        assert (tmp_path / "share" / LOG_DIR / name).read_bytes().startswith(MAGIC)
    bob.sync()
    alice.sync()
    bob.sync()
    assert content(alice.path) == content(bob.path)
    assert alice.one("SELECT text FROM evidence WHERE id = ?", (new,)) == "Written on Bob's laptop"
    assert alice.one("SELECT code FROM commitment WHERE id = ?", (c2,)) == "A1"
    with bob.store() as s:
        listed = [(c.field, c.mine, c.theirs) for c in conflict_store.waiting(s.conn)]
    assert listed == [("lead", "Bob's lead", "Alice's lead")]
    # The log holds entries 1..n, each once: Bob's changes went out exactly once.
    names = entries_in(tmp_path / "share")
    assert names == [f"{n:012d}.entry" for n in range(1, len(names) + 1)]
    assert len(names) == 3


def test_a_sync_killed_by_the_operating_system_leaves_the_database_whole(pair, tmp_path):
    """A real kill (SIGKILL) of `tracker sync` at moments spread over its run: measured once
    unkilled, then killed at later and later points of that time."""
    alice, bob = pair
    ids = open_plan_commitments(alice)
    script = "import sys; from tracker.cli import main; sys.exit(main(sys.argv[1:]))"

    def run_bob_sync(kill_after=None):
        proc = subprocess.Popen([sys.executable, "-c", script, "--db", str(bob.path), "sync"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "TRACKER_OFFICER": "Bob"})
        started = time.perf_counter()
        if kill_after is None:
            proc.wait(timeout=120)
        else:
            time.sleep(kill_after)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=120)
        return time.perf_counter() - started

    def edit_both(round_):
        with alice.store() as s:
            for n, c in enumerate(ids):
                commitments.update_commitment(s, c, lead=f"Round {round_} lead {n}")
        alice.sync()
        with bob.store() as s:
            for c in ids[:20]:
                commitments.update_commitment(s, c, code=f"B{round_}")

    edit_both(0)
    whole = run_bob_sync()
    for round_, share in enumerate((0.5, 0.6, 0.7, 0.8, 0.9, 0.97), start=1):
        edit_both(round_)
        run_bob_sync(kill_after=whole * share)
        assert checks(bob.path) == ("ok", [])
        bob.sync()
        alice.sync()
        assert content(alice.path) == content(bob.path)
        marks = ",".join("?" for _ in ids[:20])
        assert alice.query(f"SELECT DISTINCT code FROM commitment WHERE id IN ({marks})",
                           tuple(ids[:20])) == [(f"B{round_}",)]


def test_a_push_made_just_before_a_kill_is_recognised_as_this_laptops_own(pair, tmp_path):
    alice, bob = pair
    c = open_plan_commitments(alice)[0]
    with bob.store() as s:
        commitments.update_commitment(s, c, lead="Bob's lead")
    with pytest.raises(Killed):
        bob.sync(interrupt=kill_at("pushed"))
    with bob.store() as s:
        commitments.update_commitment(s, c, lead="Bob's second thought")
    result = bob.sync()
    assert result.new_conflicts == 0
    alice.sync()
    assert alice.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "Bob's second thought"
    assert len(entries_in(tmp_path / "share")) == 3


def test_a_lost_base_copy_is_rebuilt_from_the_log(pair):
    alice, bob = pair
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        commitments.update_commitment(s, c, lead="Alice's lead")
    alice.sync()
    bob.sync()
    with bob.store() as s:
        commitments.update_commitment(s, c, code="B7")
    base_copy.remove(bob.path)
    assert bob.sync().pushed == 1
    alice.sync()
    assert alice.one("SELECT code FROM commitment WHERE id = ?", (c,)) == "B7"
    assert content(alice.path) == content(bob.path)


def test_a_copy_of_a_laptops_database_syncing_too_is_refused(pair, tmp_path):
    alice, bob = pair
    copy = Laptop("Bob", tmp_path / "bob-copy.db")
    for suffix in ("", base_copy.SUFFIX):
        copy.path.with_name(copy.path.name + suffix).write_bytes(
            bob.path.with_name(bob.path.name + suffix).read_bytes())
    c = open_plan_commitments(alice)[0]
    with bob.store() as s:
        commitments.update_commitment(s, c, lead="From the original")
    bob.sync()
    with copy.store() as s:
        commitments.update_commitment(s, c, code="From the copy")
    before = content(copy.path)
    with pytest.raises(CopyDetectedError, match="another copy of this database"):
        copy.sync()
    assert content(copy.path) == before


def test_a_database_that_is_not_a_member_is_told_how_to_join(_sample_template, tmp_path):
    loner = Laptop("Dee", tmp_path / "dee.db")
    loner.path.write_bytes(_sample_template.read_bytes())
    with pytest.raises(NotAMemberError, match="team join"):
        loner.sync()


def _forge(share, seq, key, team, *, schema=None, tables=None, tamper=False, unsigned=False):
    real = FolderLog(str(share)).read(1)
    header = json.loads(real[len(MAGIC):].split(b"\n", 1)[0])
    entry = Entry(seq=seq, kind="changes", team=team, schema=schema or header["schema"],
                  tables=tables if tables is not None else {}, author="Mallory",
                  laptop="l", push="p", made_at="2030-01-01T00:00:00+00:00", changes=0,
                  changeset=b"")
    blob = seal(entry, key)
    if tamper:
        blob = blob.replace(b'"author":"Mallory"', b'"author":"Alicia!"')
    if unsigned:
        head, _, payload = blob[len(MAGIC):].partition(b"\n")
        fields = json.loads(head)
        del fields["mac"]
        blob = MAGIC + json.dumps(fields).encode() + b"\n" + payload
    (share / LOG_DIR / f"{seq:012d}.entry").write_bytes(blob)


@pytest.mark.parametrize("kind, message", [
    ("tampered", "altered or was not written with this team's key"),
    ("unsigned", "not sealed"),
    ("other team", "belongs to another team"),
    ("other key", "altered or was not written with this team's key"),
    ("newer schema", "update the tracker"),
    ("half written", "not a Commitment Tracker log entry"),
])
def test_an_entry_that_cannot_be_trusted_is_refused_and_nothing_is_applied(
        pair, tmp_path, kind, message):
    alice, bob = pair
    share = tmp_path / "share"
    with alice.store() as s:
        team = s.execute("SELECT team_id, team_key FROM sync_membership").fetchone()
    from tracker.sync.entry import parse_key

    key = parse_key(team[1])
    c = open_plan_commitments(alice)[0]
    with alice.store() as s:
        commitments.update_commitment(s, c, lead="Genuine change")
    alice.sync()  # entry 2: genuine
    if kind == "tampered":
        _forge(share, 3, key, team[0], tamper=True)
    elif kind == "unsigned":
        _forge(share, 3, key, team[0], unsigned=True)
    elif kind == "other team":
        _forge(share, 3, new_key(), "another-team")
    elif kind == "other key":
        _forge(share, 3, new_key(), team[0])
    elif kind == "newer schema":
        _forge(share, 3, key, team[0], schema=999)
    else:
        (share / LOG_DIR / f"{3:012d}.entry").write_bytes(MAGIC[:10])
    before = content(bob.path)
    with pytest.raises(EntryRefusedError, match=message):
        bob.sync()
    assert content(bob.path) == before  # not even the genuine entry 2
    with bob.store() as s:
        assert s.execute("SELECT synced_seq, last_error FROM sync_membership").fetchone()[0] == 1


@pytest.mark.parametrize("step", ["fetched", "merged", "push-noted"])
def test_a_postgres_server_going_away_mid_sync_loses_nothing(postgres, _sample_template,
                                                            tmp_path, step):
    from tracker.sync.errors import LogUnreachableError

    name = postgres.new_database()
    alice, bob = create_team(_sample_template, tmp_path, postgres.url(name), ["Alice", "Bob"])
    c1, c2 = open_plan_commitments(alice)[:2]
    with alice.store() as s:
        commitments.update_commitment(s, c1, lead="Alice's")
    alice.sync()
    with bob.store() as s:
        commitments.update_commitment(s, c2, lead="Bob's")

    def drop(at):
        if at == step:
            postgres.terminate_connections(name)

    with pytest.raises(LogUnreachableError, match="PostgreSQL server"):
        bob.sync(interrupt=drop)
    assert checks(bob.path) == ("ok", [])
    assert bob.one("SELECT lead FROM commitment WHERE id = ?", (c2,)) == "Bob's"
    bob.sync()
    alice.sync()
    assert content(alice.path) == content(bob.path)
    assert alice.one("SELECT lead FROM commitment WHERE id = ?", (c2,)) == "Bob's"
