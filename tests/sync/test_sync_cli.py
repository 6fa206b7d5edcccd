"""The team commands as an office uses them, and everything they refuse in one sentence."""

from __future__ import annotations

import errno
import os
import shutil

import pytest
from sync_helpers import Laptop, content, open_plan_commitments

from tracker import ops
from tracker.cli import main
from tracker.domain.status import Status
from tracker.store import commitments, evidence
from tracker.store.evidence import EvidenceInput
from tracker.sync import folder_log
from tracker.sync.folder_log import LOG_DIR

HEADER = "id\tref\tfield\tbase\tmine\ttheirs\ttheirs_by"


def run(capsys, *argv, officer=None):
    if officer:
        os.environ["TRACKER_OFFICER"] = officer
    try:
        code = main(list(argv))
    finally:
        os.environ["TRACKER_OFFICER"] = "Test Officer"
    out, err = capsys.readouterr()
    return code, out, err


def make_team(capsys, template, tmp_path, location):
    alice = Laptop("Alice", tmp_path / "alice.db")
    shutil.copyfile(template, alice.path)
    code, out, err = run(capsys, "--db", str(alice.path), "team", "create", location,
                         officer="Alice")
    assert code == 0, err
    [key] = [line[len("key: "):] for line in out.splitlines() if line.startswith("key: ")]
    laptops = [alice]
    for name in ("Bob", "Carol"):
        laptop = Laptop(name, tmp_path / f"{name.lower()}.db")
        code, out, err = run(capsys, "--db", str(laptop.path), "team", "join", location,
                             "--key", key, officer=name)
        assert code == 0, err
        laptops.append(laptop)
    return laptops, key


def test_done_when_three_laptops_two_conflicts_resolved_and_the_same_content(
        capsys, _sample_template, tmp_path, team_location):
    (alice, bob, carol), _key = make_team(capsys, _sample_template, tmp_path, team_location)
    # Row ids are random, so the first commitments by id may be carried forward or discontinued
    # in the sample; the conflict below expects a base status of "not assessed".
    c1, c2, c3 = [c for c in open_plan_commitments(alice)
                  if alice.one("SELECT status FROM commitment WHERE id = ?", (c,)) == "not_assessed"][:3]
    base_lead = alice.one("SELECT lead FROM commitment WHERE id = ?", (c2,))
    with alice.store() as s:  # offline edits on each laptop
        commitments.set_status(s, c1, Status.ON_TRACK, "Partnership board agreed the plan")
        commitments.update_commitment(s, c2, lead="DCI Hart")
    with bob.store() as s:
        commitments.update_commitment(s, c1, text="We will publish the rural crime strategy")
        evidence.add_evidence(s, c3, EvidenceInput("Rural crime survey published"))
    with carol.store() as s:
        commitments.set_status(s, c1, Status.AT_RISK, "Funding not yet confirmed")
        commitments.update_commitment(s, c2, lead="Supt Okafor")
    outputs = {}
    for laptop in (alice, bob, carol):
        code, out, err = run(capsys, "--db", str(laptop.path), "sync", officer=laptop.name)
        assert code == 0, err
        outputs[laptop.name] = out.strip()
    assert outputs == {
        "Alice": "pushed 3 changes, pulled 0, 0 conflicts wait for review",
        "Bob": "pushed 2 changes, pulled 3, 0 conflicts wait for review",
        "Carol": "pushed 1 change, pulled 5, 2 conflicts wait for review",
    }

    for laptop in (alice, bob):
        code, out, _ = run(capsys, "--db", str(laptop.path), "conflicts")
        assert (code, out) == (0, HEADER + "\n")
    code, out, _ = run(capsys, "--db", str(carol.path), "conflicts")
    lines = out.splitlines()
    assert lines[0] == HEADER
    rows = {line.split("\t")[2]: line.split("\t") for line in lines[1:]}
    assert len(lines) == 3
    assert rows["commitment.status"][1:] == [_ref(alice, c1), "commitment.status", "Not assessed",
                                             "At risk", "On track", "Alice"]
    assert rows["commitment.lead"][1:] == [_ref(alice, c2), "commitment.lead", base_lead or "",
                                           "Supt Okafor", "DCI Hart", "Alice"]

    code, out, err = run(capsys, "--db", str(carol.path), "resolve",
                         rows["commitment.status"][0], "--keep", "mine", officer="Carol")
    assert code == 0, err
    assert out.strip() == (f"Conflict {rows['commitment.status'][0]}: Set the status to 'At risk'. "
                           "It goes to the team with the next sync.")
    code, out, err = run(capsys, "--db", str(carol.path), "resolve",
                         rows["commitment.lead"][0], "--value", "DCI Hart and Supt Okafor",
                         officer="Carol")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", str(carol.path), "conflicts")
    assert out == HEADER + "\n"

    for laptop in (carol, alice, bob):
        code, out, err = run(capsys, "--db", str(laptop.path), "sync", officer=laptop.name)
        assert code == 0, err
    assert content(alice.path) == content(bob.path) == content(carol.path)
    assert alice.query("SELECT status, text FROM commitment WHERE id = ?", (c1,)) == [
        ("at_risk", "We will publish the rural crime strategy")]
    assert alice.one("SELECT lead FROM commitment WHERE id = ?", (c2,)) == "DCI Hart and Supt Okafor"


def _ref(laptop, commitment_id):
    return laptop.one("SELECT uid FROM commitment WHERE id = ?", (commitment_id,)).replace(
        "-", "")[:8]


# --- bad input: one sentence each, the database whole, the log never holding a partial entry --


def one_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: "), err
    return lines[0]


@pytest.fixture
def folder_team(capsys, _sample_template, tmp_path):
    laptops, _key = make_team(capsys, _sample_template, tmp_path, str(tmp_path / "share"))
    return laptops, tmp_path / "share"


def edit(laptop, lead, which=0):
    c = open_plan_commitments(laptop)[which]
    with laptop.store() as s:
        ops.edit_commitment(s, c, lead=lead)
    return c


def test_a_missing_team_folder_is_offline_exit_2_and_nothing_is_lost(capsys, folder_team):
    (alice, bob, _carol), share = folder_team
    c = edit(alice, "Written offline")
    before = content(alice.path)
    share.rename(share.with_name("share-unplugged"))
    code, _out, err = run(capsys, "--db", str(alice.path), "sync")
    assert code == 2
    assert "cannot be reached" in one_line(err)
    assert content(alice.path) == before
    share.with_name("share-unplugged").rename(share)
    assert run(capsys, "--db", str(alice.path), "sync")[0] == 0
    run(capsys, "--db", str(bob.path), "sync")
    assert bob.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "Written offline"


@pytest.mark.parametrize("problem, words", [(errno.EACCES, "may not write"),
                                            (errno.ENOSPC, "is full")])
def test_a_read_only_or_full_team_folder_is_refused_and_the_edits_wait(
        capsys, folder_team, monkeypatch, problem, words):
    (alice, bob, _carol), share = folder_team
    edit(bob, "Bob's first", which=1)
    run(capsys, "--db", str(bob.path), "sync")
    c = edit(alice, "Waiting for the share")

    def refuse(path, blob):
        raise OSError(problem, os.strerror(problem), str(path))

    log_dir = share / LOG_DIR
    if problem == errno.EACCES and os.geteuid() != 0:
        log_dir.chmod(0o555)  # a real read-only folder (root may write anyway: see below)
    else:
        monkeypatch.setattr(folder_log, "_write_durably", refuse)
    try:
        code, _out, err = run(capsys, "--db", str(alice.path), "sync")
    finally:
        log_dir.chmod(0o755)
        monkeypatch.undo()
    assert code == 1
    assert words in one_line(err)
    # Bob's entry was pulled and merged whole; Alice's own edit is still there, waiting.
    assert alice.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "Waiting for the share"
    assert sorted(p.name for p in log_dir.iterdir()) == [f"{n:012d}.entry" for n in (1, 2)]
    code, out, _ = run(capsys, "--db", str(alice.path), "sync")
    assert (code, out.split(",")[0]) == (0, "pushed 1 change")


def test_a_half_written_entry_left_by_a_killed_laptop_is_ignored(capsys, folder_team):
    (alice, bob, _carol), share = folder_team
    (share / LOG_DIR / "incoming-killed.part").write_bytes(b"COMMITMENT-TRACKER-LOG 1\n{")
    c = edit(alice, "After the crash")
    assert run(capsys, "--db", str(alice.path), "sync")[0] == 0
    assert run(capsys, "--db", str(bob.path), "sync")[0] == 0
    assert bob.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "After the crash"


def test_a_database_not_in_the_team_is_told_so(capsys, _sample_template, tmp_path):
    loner = tmp_path / "loner.db"
    shutil.copyfile(_sample_template, loner)
    code, _out, err = run(capsys, "--db", str(loner), "sync")
    assert code == 1
    assert "not a member of a team" in one_line(err)


def test_joining_with_a_wrong_key_or_onto_an_existing_file_is_refused(capsys, folder_team,
                                                                      tmp_path):
    (alice, _bob, _carol), share = folder_team
    from tracker.sync.entry import format_key, new_key

    code, _out, err = run(capsys, "--db", str(tmp_path / "dee.db"), "team", "join", str(share),
                          "--key", format_key(new_key()))
    assert code == 1 and "not written with this team's key" in one_line(err)
    assert not (tmp_path / "dee.db").exists()
    code, _out, err = run(capsys, "--db", str(alice.path), "team", "join", str(share), "--key",
                          "ct1-AAAA")
    assert code == 1 and "incomplete" in one_line(err)


def test_two_copies_of_one_laptops_database_syncing(capsys, folder_team, tmp_path):
    (alice, _bob, _carol), _share = folder_team
    copy = tmp_path / "alice-copy.db"
    shutil.copyfile(alice.path, copy)
    shutil.copyfile(str(alice.path) + "-team-base", str(copy) + "-team-base")
    edit(alice, "Original")
    assert run(capsys, "--db", str(alice.path), "sync")[0] == 0
    before = content(copy)
    code, _out, err = run(capsys, "--db", str(copy), "sync")
    assert code == 1
    assert "another copy of this database" in one_line(err)
    assert content(copy) == before


def test_postgres_refusing_the_login_is_one_sentence(capsys, postgres, _sample_template,
                                                     tmp_path, monkeypatch):
    location = postgres.url(postgres.new_database())
    (alice, _bob, _carol), _key = make_team(capsys, _sample_template, tmp_path, location)
    empty = tmp_path / "empty-pgpass"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(empty))
    edit(alice, "Not sent")
    before = content(alice.path)
    code, _out, err = run(capsys, "--db", str(alice.path), "sync")
    assert code == 1
    assert "refused the login for officer" in one_line(err)
    assert content(alice.path) == before



def test_team_status_says_where_and_how_it_stands(capsys, folder_team):
    (alice, _bob, _carol), share = folder_team
    edit(alice, "Not yet sent")
    code, out, _ = run(capsys, "--db", str(alice.path), "team", "status")
    assert code == 0
    lines = dict(line.split("\t", 1) for line in out.splitlines())
    assert lines["team log"] == str(share)
    assert lines["changes waiting to go"] == "1"
    assert lines["conflicts waiting"] == "0"


def test_a_team_log_moved_by_it_is_followed_once_checked(capsys, folder_team, tmp_path):
    from tracker.ops.team import move_team_log
    from tracker.sync.errors import SyncError

    (alice, bob, _carol), share = folder_team
    moved = tmp_path / "new-share"
    share.rename(moved)
    (tmp_path / "elsewhere").mkdir()
    with alice.store() as s:
        with pytest.raises(SyncError, match="holds no team log"):
            move_team_log(s, str(tmp_path / "elsewhere"))
        assert move_team_log(s, str(moved)) == str(moved)
    c = edit(alice, "After the move")
    assert run(capsys, "--db", str(alice.path), "sync")[0] == 0
    with bob.store() as s:
        move_team_log(s, str(moved))
    assert run(capsys, "--db", str(bob.path), "sync")[0] == 0
    assert bob.one("SELECT lead FROM commitment WHERE id = ?", (c,)) == "After the move"
