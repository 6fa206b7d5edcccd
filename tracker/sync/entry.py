"""One entry of the team's log: a sealed header and a changeset.

The bytes of an entry are a magic line, one line of JSON (the header) and the changeset,
compressed. The header names the team, the entry's place in the log (seq and parent), the
schema it was written with and the columns of every table it touches (changesets name columns
by position), who wrote it on which laptop, and the SHA-256 of the changeset; `mac` is an
HMAC-SHA256 of all of that under the team's key. Nothing of an entry is trusted before
`verify` has checked it.

Entry 1 is the team's plan (the whole database of the laptop that created the team); every
later entry is one laptop's changes since it last synced.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any

from tracker.sync.errors import EntryRefusedError, SyncError

MAGIC = b"COMMITMENT-TRACKER-LOG 1\n"
FORMAT = 1
KIND_PLAN = "plan"
KIND_CHANGES = "changes"
_KEY_PREFIX = "ct1"
_MAC_CONTEXT = b"commitment-tracker log entry\n"


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    team: str
    schema: int
    tables: dict[str, list[str]]
    author: str
    laptop: str
    push: str
    made_at: str
    changes: int
    changeset: bytes
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def parent(self) -> int:
        return self.seq - 1


# --- the team key -----------------------------------------------------------------------------


def new_key() -> bytes:
    return secrets.token_bytes(32)


def format_key(key: bytes) -> str:
    """The key as an officer copies it: 'ct1-' and groups of base32 letters."""
    text = base64.b32encode(key).decode("ascii").rstrip("=")
    return _KEY_PREFIX + "-" + "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def parse_key(text: str) -> bytes:
    clean = re.sub(r"[\s-]", "", str(text or "")).upper()
    if not clean.startswith(_KEY_PREFIX.upper()):
        raise SyncError("That is not a team key: it begins with 'ct1-' (as printed by "
                        "'tracker team create').")
    body = clean[len(_KEY_PREFIX):]
    try:
        key = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:
        raise SyncError("That team key is mistyped: it has letters a key cannot hold.") from exc
    if len(key) != 32:
        raise SyncError("That team key is incomplete or too long: copy the whole line after "
                        "'key:'.")
    return key


# --- writing and reading entries ---------------------------------------------------------------


def _canonical(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _mac(key: bytes, header: dict[str, Any]) -> str:
    unsealed = {k: v for k, v in header.items() if k != "mac"}
    return hmac.new(key, _MAC_CONTEXT + _canonical(unsealed), hashlib.sha256).hexdigest()


def seal(entry: Entry, key: bytes) -> bytes:
    payload = zlib.compress(entry.changeset, 6)
    header = {
        "format": FORMAT, "kind": entry.kind, "team": entry.team, "seq": entry.seq,
        "parent": entry.parent, "schema": entry.schema, "tables": entry.tables,
        "author": entry.author, "laptop": entry.laptop, "push": entry.push,
        "made_at": entry.made_at, "changes": entry.changes, "settings": entry.settings,
        "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest(),
    }
    header["mac"] = _mac(key, header)
    return MAGIC + _canonical(header) + b"\n" + payload


def verify(blob: bytes, key: bytes, *, seq: int, where: str, team: str | None) -> Entry:
    """The entry in `blob`, which the log holds at `seq`, checked against the team's key.

    Raises EntryRefusedError naming the entry and what is wrong. `team` None accepts any team
    id (joining: the first entry tells us the team)."""
    name = f"Entry {seq} of the team log at {where}"
    if not blob.startswith(MAGIC):
        raise EntryRefusedError(f"{name} is not a Commitment Tracker log entry (damaged, or put "
                                "there by something else); nothing was applied.")
    head, newline, payload = blob[len(MAGIC):].partition(b"\n")
    try:
        header = json.loads(head.decode("ascii")) if newline else None
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict):
        raise EntryRefusedError(f"{name} is damaged (its header cannot be read); nothing was "
                                "applied.")
    mac = header.get("mac")
    if not isinstance(mac, str) or not mac:
        raise EntryRefusedError(f"{name} is not sealed with a team key; nothing was applied.")
    if team is not None and header.get("team") != team:
        raise EntryRefusedError(f"{name} belongs to another team; nothing was applied. Is this "
                                "the right team folder or server?")
    if not hmac.compare_digest(mac, _mac(key, header)):
        raise EntryRefusedError(
            f"{name} was altered or was not written with this team's key; nothing was applied.")
    if (header.get("seq") != seq or header.get("parent") != seq - 1
            or header.get("format") != FORMAT):
        raise EntryRefusedError(f"{name} is out of place (it says it is entry "
                                f"{header.get('seq')}); nothing was applied.")
    if len(payload) != header.get("size") or hashlib.sha256(payload).hexdigest() != header.get(
            "sha256"):
        raise EntryRefusedError(f"{name} is incomplete or damaged; nothing was applied.")
    try:
        changeset = zlib.decompress(payload)
    except zlib.error as exc:
        raise EntryRefusedError(f"{name} is damaged; nothing was applied.") from exc
    return Entry(
        seq=seq, kind=str(header["kind"]), team=str(header["team"]), schema=int(header["schema"]),
        tables={str(k): [str(c) for c in v] for k, v in header["tables"].items()},
        author=str(header["author"]), laptop=str(header["laptop"]), push=str(header["push"]),
        made_at=str(header["made_at"]), changes=int(header["changes"]), changeset=changeset,
        settings={str(k): str(v) for k, v in (header.get("settings") or {}).items()},
    )


def key_fingerprint(key: bytes) -> str:
    """A short, safe-to-show check of a key (for settings screens): not the key itself."""
    return hashlib.sha256(b"fingerprint\n" + key).hexdigest()[:12]
