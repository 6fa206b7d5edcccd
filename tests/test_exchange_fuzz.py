"""A small, seeded fuzz of the workbook imports: random damage to a real exported return and a
whole-plan workbook must end in a preview or in one refusal sentence, never in a traceback,
and never write anything. (The probe this comes from ran some 2,700 cases; these are the
same kinds of damage, bounded to a few dozen so the suite stays fast.)"""

from __future__ import annotations

import random
import re
import zipfile

import pytest
from test_exchange_support import answer, database_content, edit, export

from tracker.errors import TrackerError
from tracker.exchange import layout
from tracker.exchange.marked_copy import save_marked_copy
from tracker.exchange.plan_workbook import export_plan_workbook, import_plan_workbook
from tracker.exchange.return_preview import preview_return
from tracker.store import transfer
from tracker.store.database import open_memory_store

C, IND = layout.COMMITMENTS, layout.INDICATORS
CASES = 36


def _parts(path):
    with zipfile.ZipFile(path) as archive:
        return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


def _pick(rnd, parts, test):
    chosen = [n for n, (name, _data) in enumerate(parts) if test(name)]
    return rnd.choice(chosen)


def truncate(rnd, raw, parts):
    return raw[: rnd.randrange(len(raw))]


def flip_file_bytes(rnd, raw, parts):
    data = bytearray(raw)
    for _ in range(rnd.randint(1, 20)):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    return bytes(data)


def damage_xml(rnd, raw, parts):
    n = _pick(rnd, parts, lambda name: name.endswith((".xml", ".rels")))
    name, data = parts[n]
    data = bytearray(data)
    for _ in range(rnd.randint(1, 5)):
        at, roll = rnd.randrange(len(data)), rnd.random()
        if roll < 0.4:
            data[at] = rnd.randrange(256)
        elif roll < 0.7:
            data[at:at] = bytes([rnd.choice(b"<>/&\"'=\x00\x01\x1f ")])
        else:
            del data[at:at + rnd.randint(1, 30)]
    parts[n] = (name, bytes(data))


def odd_sheet(rnd, raw, parts):
    n = _pick(rnd, parts, lambda name: name.startswith("xl/worksheets/"))
    name, data = parts[n]
    data = rnd.choice([
        lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d),
        lambda d: d.replace(b'r="A2"', b'r="A99999999"', 1),
        lambda d: d.replace(b'r="B2"', b'r="ZZZZ2"', 1),
        lambda d: d.replace(b't="inlineStr"', b't="n"', 3),
        lambda d: d.replace(b't="inlineStr"', b't="b"', 2),
        lambda d: d.replace(b't="inlineStr"', b't="d"', 2),
        lambda d: re.sub(rb' s="\d+"', b' s="9999"', d, count=5),
        lambda d: d.replace(b't="inlineStr"', b't="s"', 1).replace(b"<is>", b"<v>99999</v><is>", 1),
    ])(data)
    parts[n] = (name, data)


def deep_nesting(rnd, raw, parts):
    n = _pick(rnd, parts, lambda name: name.startswith("xl/") and name.endswith(".xml"))
    name, data = parts[n]
    depth = rnd.choice([30, 100, 20_000])
    end = re.search(rb"</[A-Za-z:]+>\s*$", data)
    if end:
        data = data[:end.start()] + b"<x>" * depth + b"</x>" * depth + data[end.start():]
    parts[n] = (name, data)


def drop_part(rnd, raw, parts):
    parts.pop(rnd.randrange(len(parts)))


def odd_styles(rnd, raw, parts):
    n = _pick(rnd, parts, lambda name: name == "xl/styles.xml")
    name, data = parts[n]
    data = rnd.choice([
        lambda d: d.replace(b'numFmtId="0"', b'numFmtId="99999"', 2),
        lambda d: re.sub(rb'count="\d+"', b'count="-1"', d, count=2),
        lambda d: d.replace(b'applyAlignment="1"', b'applyAlignment="banana"', 3),
    ])(data)
    parts[n] = (name, data)


def odd_workbook(rnd, raw, parts):
    n = _pick(rnd, parts, lambda name: name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
    name, data = parts[n]
    data = rnd.choice([
        lambda d: d.replace(b'r:id="rId2"', b'r:id="rId99"', 1),
        lambda d: d.replace(b'sheetId="2"', b'sheetId="x"', 1),
        lambda d: re.sub(rb'Target="[^"]*sheet2.xml"', b'Target="../../../etc/passwd"', d),
        lambda d: re.sub(rb'Target="[^"]*sheet2.xml"', b'Target="styles.xml"', d),
    ])(data)
    parts[n] = (name, data)


DAMAGE = [truncate, flip_file_bytes, damage_xml, damage_xml, odd_sheet, odd_sheet, deep_nesting,
          drop_part, odd_styles, odd_workbook]


def _damaged(rnd, source, target):
    raw, parts = source.read_bytes(), _parts(source)
    damage = rnd.choice(DAMAGE)
    whole = damage(rnd, raw, parts)
    if whole is not None:
        target.write_bytes(whole)
    else:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts:
                archive.writestr(name, data)
    return damage.__name__


def _one_sentence(exc: TrackerError, what: str) -> None:
    text = str(exc)
    assert text and "\n" not in text and "Traceback" not in text, (what, text)


@pytest.fixture
def workbooks(store, tmp_path):
    sent = export(store, tmp_path)
    filled = edit(sent, tmp_path / "filled.xlsx", {
        answer(C, "evidence", 2): "Patrols doubled", answer(C, "evidence_date", 2): "31/03/2021",
        answer(C, "new_status", 3): "On track", answer(C, "update", 3): "Going well",
        answer(IND, "new_value", 2): 42, answer(IND, "note", 2): "Revised"})
    plan = tmp_path / "plan.xlsx"
    export_plan_workbook(store, plan)
    return filled, plan


@pytest.mark.parametrize("seed", range(3))
def test_damaged_returns_end_in_a_preview_or_one_sentence(store, workbooks, tmp_path, seed):
    filled, _plan = workbooks
    rnd = random.Random(seed)
    before = database_content(store)
    for n in range(CASES // 3 * 2):
        path = tmp_path / f"case-{seed}-{n}.xlsx"
        what = _damaged(rnd, filled, path)
        try:
            preview = preview_return(store, path)
        except TrackerError as exc:
            _one_sentence(exc, what)
            continue
        if preview.problems:  # the marked copy reads the whole workbook again
            try:
                save_marked_copy(path, preview.problems, tmp_path / "marked.xlsx")
            except TrackerError as exc:
                _one_sentence(exc, what)
    assert database_content(store) == before


@pytest.mark.parametrize("seed", range(3))
def test_damaged_plan_workbooks_load_or_refuse_leaving_the_database_empty(workbooks, tmp_path,
                                                                          seed):
    _filled, plan = workbooks
    rnd = random.Random(100 + seed)
    for n in range(CASES // 3):
        path = tmp_path / f"plan-{seed}-{n}.xlsx"
        what = _damaged(rnd, plan, path)
        copy = open_memory_store()
        try:
            try:
                import_plan_workbook(copy, path)
            except TrackerError as exc:
                _one_sentence(exc, what)
                assert transfer.is_empty(copy)
        finally:
            copy.close()
