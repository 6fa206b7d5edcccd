"""The window's undo history, on the operations layer.

Every change the window makes is an operation of tracker.ops; `History.perform` runs it and puts
one `OpCommand` on the window's QUndoStack. Undo and redo are the operations layer's own:
compare-and-set (`ops.undo` / `ops.redo`), so Ctrl+Z never overwrites newer work, a partner's
return included. They run BEFORE the stack moves: a refusal is said in words and the stack stays
where it is, so Ctrl+Z never skips past a step it could not undo. An imported return, a
reverted one and a new plan are ordinary steps (undone as one, or refused). A restored backup
is a `Fence`: a step Ctrl+Z stops at, saying what to do instead.

`OpsBridge` turns every operation's result (from this window, a worker thread or anything else
using the store) into one Qt signal, which the views and open dialogs redraw from.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from tracker import ops
from tracker.errors import TrackerError
from tracker.ops import OpResult
from tracker.store.database import Store
from tracker.store.errors import ValidationError

Report = Callable[[str, BaseException], None]
Operation = Callable[[Store], OpResult]


class OpsBridge(QObject):
    """Signals:
        performed(object): an OpResult, after an operation on the store, on the GUI thread.
    """

    performed = Signal(object)

    def __init__(self, store: Store, parent: QObject | None = None):
        super().__init__(parent)
        self.store: Store | None = None
        self.attach(store)

    def attach(self, store: Store) -> None:
        if self.store is not None:
            ops.unsubscribe(self.store, self._heard)
        self.store = store
        ops.subscribe(store, self._heard)

    def detach(self) -> None:
        if self.store is not None:
            ops.unsubscribe(self.store, self._heard)
            self.store = None

    def _heard(self, result: OpResult) -> None:
        # Called on whichever thread ran the operation; Qt queues it to the GUI thread.
        try:
            self.performed.emit(result)
        except RuntimeError:  # the window is gone; the store is written all the same
            pass


class OpCommand(QUndoCommand):
    """One operation on the undo stack. `result` says what it changed (which commitment,
    which indicator), for the dialogs that undo only their own steps."""

    def __init__(self, history: History, result: OpResult, text: str | None = None):
        super().__init__(text or result.summary)
        self.history = history
        self.result = result
        self.op_id = result.op_id
        self._moved = True  # performed before it was pushed, or by History before the stack moves

    def undo(self) -> None:
        self._step("undo")

    def redo(self) -> None:
        self._step("redo")

    def _step(self, verb: str) -> None:
        if self._moved:
            self._moved = False
            return
        # Something moved the stack directly (not through History): do it now, and if the
        # operations layer refuses, drop the command so the stack and the file never disagree.
        try:
            (ops.undo if verb == "undo" else ops.redo)(self.history.store, self.op_id)
        except TrackerError as exc:
            self.setObsolete(True)
            self.history.report(f"Could not {verb} “{self.text()}”", exc)


class Fence(QUndoCommand):
    """A step that cannot be undone: undo stops here and says why."""

    def __init__(self, text: str, reason: str):
        super().__init__(text)
        self.reason = reason

    def undo(self) -> None:  # History never moves past a fence; kept for a direct stack.undo()
        pass

    def redo(self) -> None:
        pass


class History(QObject):
    """The window's undo stack, moved only by operations that succeeded.

    Signals:
        refused(str): undo or redo was refused; the sentence says why (also reported).
    """

    refused = Signal(str)

    def __init__(self, store: Store, stack: QUndoStack, report: Report,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.stack = stack
        self.report = report

    # --- doing -------------------------------------------------------------------------------

    def perform(self, operation: Operation, text: str | None = None,
                what: str | None = None, *, quiet: bool = False) -> OpResult | TrackerError:
        """Run `operation(store)`; on success push it and return the result, else the refusal.

        A refusal is reported (message box) when `what` ("The plan was not closed") is given,
        and always when it is not about the input: a field that refused its input shows that
        under the field instead. With `quiet` the caller shows every refusal itself.
        """
        try:
            result = operation(self.store)
        except TrackerError as exc:
            if not quiet and (what is not None or not isinstance(exc, ValidationError)):
                self.report(what or "Nothing was saved", exc)
            return exc
        self.push(result, text)
        return result

    def push(self, result: OpResult, text: str | None = None) -> OpCommand | None:
        """Put an operation already done (on a worker thread, say) on the stack."""
        if not result.op_id:
            return None  # it changed nothing
        command = OpCommand(self, result, text)
        self.stack.push(command)
        return command

    def fence(self, text: str, reason: str) -> None:
        """A step undo cannot go past (a restored backup): it says `reason` instead."""
        self.stack.push(Fence(text, reason))

    # --- undoing -----------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return self.stack.index() > 0

    def can_redo(self) -> bool:
        return self.stack.index() < self.stack.count()

    def next_undo(self) -> QUndoCommand | None:
        index = self.stack.index()
        return self.stack.command(index - 1) if index > 0 else None

    def next_redo(self) -> QUndoCommand | None:
        index = self.stack.index()
        return self.stack.command(index) if index < self.stack.count() else None

    def undo(self) -> OpResult | None:
        """Undo the step below the stack's index, or say why not (the stack does not move)."""
        command = self.next_undo()
        if command is None:
            return None
        if isinstance(command, Fence):
            self._refuse(f"Cannot undo “{command.text()}”", command.reason)
            return None
        try:
            result = ops.undo(self.store, command.op_id)
        except TrackerError as exc:  # the sentence names the step and what changed since
            self._refuse("Nothing was undone", str(exc))
            return None
        command._moved = True
        self.stack.undo()
        return result

    def redo(self) -> OpResult | None:
        command = self.next_redo()
        if command is None or isinstance(command, Fence):
            return None
        try:
            result = ops.redo(self.store, command.op_id)
        except TrackerError as exc:
            self._refuse("Nothing was redone", str(exc))
            return None
        command._moved = True
        self.stack.redo()
        return result

    def _refuse(self, what: str, why: str) -> None:
        self.refused.emit(f"{what}: {why}")
        self.report(what, ops.UndoRefused(why))


def own_history(store: Store, owner: QWidget) -> tuple[History, OpsBridge]:
    """A history and a bridge of its own, for a view or dialog used outside the main window
    (refusals shown in a message box over `owner`)."""

    def report(what: str, exc: BaseException) -> None:
        QMessageBox.warning(owner, "Commitment Tracker", f"{what}.\n\n{exc}")

    return History(store, QUndoStack(owner), report, owner), OpsBridge(store, owner)
