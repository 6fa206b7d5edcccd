"""Reading a workbook that has passed the gate (`safety.take_snapshot`), every error worded.

openpyxl parses a read-only sheet lazily, while its rows are iterated, so a damaged sheet
raises there, not when the workbook is opened: `rows` wraps the iteration and names the sheet
and the row it had reached. Whatever a reader raises becomes one WorkbookRefused sentence;
Cancelled (a cancel request seen by the snapshot's stream) passes through.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

from openpyxl import load_workbook

from tracker.errors import TrackerError
from tracker.exchange.errors import WorkbookRefused
from tracker.exchange.safety import IsCancelled, Snapshot

_SAVE_AGAIN = "ask the partner to open it in Excel, save it again and resend it"

# openpyxl warns on stderr about parts of a partner's workbook it leaves out (data validation
# extensions, odd relationships, no default style); the tracker ignores those parts on purpose.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")


def open_workbook(snapshot: Snapshot, *, data_only: bool = True, read_only: bool = True,
                  cancelled: IsCancelled | None = None):
    """The workbook opened by openpyxl from the snapshot's bytes (never a second open)."""
    try:
        return load_workbook(snapshot.stream(cancelled), read_only=read_only,
                             data_only=data_only, keep_links=False, keep_vba=False)
    except TrackerError:
        raise
    except Exception as exc:  # any reader error on untrusted bytes is a refusal
        raise unreadable(snapshot, exc) from exc


def rows(snapshot: Snapshot, ws, *, min_row: int = 1, max_row: int, max_col: int,
         values_only: bool = False) -> Iterator[tuple]:
    """`ws.iter_rows` within bounds, a reader error refused naming the sheet and row."""
    number = min_row - 1
    iterator = ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col,
                            values_only=values_only)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except TrackerError:
            raise
        except Exception as exc:  # as in open_workbook
            raise unreadable(snapshot, exc, ws.title, number + 1) from exc
        number += 1
        yield row


def unreadable(snapshot: Snapshot, exc: BaseException, sheet: str | None = None,
               row: int | None = None) -> WorkbookRefused:
    """One sentence for whatever a reader raised on this workbook."""
    root = _root_cause(exc)
    kind = type(root).__name__
    if "Entit" in kind or "DTD" in kind or "Forbidden" in kind or "DefusedXml" in kind:
        return WorkbookRefused(f"{snapshot.name} declares XML entities, which an Excel workbook "
                               "never does: it may be an entity-expansion attack, and it was "
                               "not opened.")
    if isinstance(root, MemoryError):
        return WorkbookRefused(f"{snapshot.name} is too large to read in this computer's memory; "
                               "it was not opened.")
    where = f"the {sheet} sheet at row {row:,}" if sheet else "its workbook structure"
    return WorkbookRefused(f"{snapshot.name} could not be read: {where} is damaged or not as a "
                           f"spreadsheet writes it ({_reason(root)}); {_SAVE_AGAIN}.")


def _root_cause(exc: BaseException) -> BaseException:
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        nxt = exc.__cause__ or exc.__context__
        if nxt is None:
            break
        exc = nxt
    return exc


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 100 else text[:99] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
