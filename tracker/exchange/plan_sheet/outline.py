"""A plan written as an outline (pasted text or a Word document) read into a `PlanDraft`.

The outline is the plan document's own shape: numbered priorities ("Priority 1 - More Local,
Visible and Accessible Policing", "1. ..."), lettered "We will"s ("A. Provide ...", "b) ..."),
sub-points indented under them ("i) ...", "- ...", "• ..."), and around them the priority's
objective ("Our objective is ..."), its partnership ("Working with ... we will:") and its
outcome ("So that ..."). A line that carries on the one before it (no blank line between) is
part of it. Problems are named by line: a skipped letter, a priority with no commitments, a
commitment before any priority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.exchange.plan_sheet.draft import DraftCommitment, DraftPriority, PlanDraft
from tracker.exchange.plan_sheet.headings import split_heading

TAB = 4
MAX_LINES = 20_000

_PRIORITY = re.compile(r"^(?:(?:strategic\s+)?priority\s*(\d{1,2})\b\s*[.:)\-–—]?\s*(.*)"
                       r"|(\d{1,2})\s*[.)]\s+(.+))$", re.I)
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.)]\s+(.+)$")
# "3 Gangs and Serious Violence": a number and a capitalised title, after a blank line.
_BARE_PRIORITY = re.compile(r"^(\d{1,2})\s+([A-Z].{0,150})$")
_LETTER = re.compile(r"^\(?([A-Za-z])\s*[.)]\s+(.+)$")
_ROMAN = re.compile(r"^\(?(i{1,3}|iv|vi{0,3}|ix|xi{0,3})\s*[.)]\s+(.+)$", re.I)
_BULLET = re.compile(r"^[-•·*–—o▪◦‣⁃]\s+(?:[-•·*–—▪◦‣⁃]\s+)*(.+)$")
_DECORATION = re.compile(r"\*\*|__")
_WE_WILL = re.compile(r"\bwe will\s*:?$", re.I)
_OBJECTIVE = re.compile(r"^[\"“']?\s*our objective\b", re.I)
_OUTCOME = re.compile(r"^so that\b", re.I)
_SKIP = re.compile(r"^(?:continued\s*>?|continued from .*|page \d+( of \d+)?)$", re.I)


@dataclass(frozen=True)
class OutlineLine:
    number: int  # 1-based, as the officer sees it in the text or the document
    indent: int  # in spaces (a tab is four)
    text: str
    style: str | None = None  # "priority" when the document's style says so (Heading 1)


def lines_of_text(text: str) -> list[OutlineLine]:
    found = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if number > MAX_LINES:
            break
        expanded = raw.replace("\t", " " * TAB).replace("\u00a0", " ")
        indent = len(expanded) - len(expanded.lstrip(" "))
        found.append(OutlineLine(number, indent, expanded.strip()))
    return found


def _roman_value(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    total = 0
    for n, ch in enumerate(text.lower()):
        value = values[ch]
        total += -value if n + 1 < len(text) and values[text[n + 1].lower()] > value else value
    return total


class _Outline:
    def __init__(self, draft: PlanDraft, where: str):
        self.draft = draft
        self.where = where  # "line" or "paragraph"
        self.priority: DraftPriority | None = None
        self.commitment: DraftCommitment | None = None
        self.commitment_indent = 0
        self.last_item: DraftCommitment | DraftPriority | None = None
        self.last_letter: str | None = None
        self.letter_places: dict[str, str] = {}
        self.last_sub_roman = 0
        self.by_number: dict[int, DraftPriority] = {}
        self.after_blank = True
        self.styled_priorities = False  # the document heads priorities with a heading style

    def place(self, line: OutlineLine) -> str:
        return f"{self.where} {line.number}"

    def read(self, lines: list[OutlineLine]) -> None:
        self.styled_priorities = any(line.style == "priority" for line in lines)
        for line in lines:
            text = _DECORATION.sub("", line.text).strip()
            if not text:
                self.after_blank = True
                self.last_item = None
                continue
            self.line(line, text)
            self.after_blank = False

    def line(self, line: OutlineLine, text: str) -> None:
        if _SKIP.match(text):
            return
        numbered = _NUMBERED.match(text)
        if self.styled_priorities and line.style != "priority" and numbered:
            # Priorities are headings, so a numbered paragraph is a commitment ("1. Tackle ...").
            self.add_commitment(line, numbered.group(2), numbered.group(1))
            return
        if (line.style == "priority" or _PRIORITY.match(text)
                or (self.after_blank and _BARE_PRIORITY.match(text))):
            self.start_priority(line, text)
            return
        if self.priority is not None and self._priority_text(line, text):
            return
        letter = _LETTER.match(text)
        roman = _ROMAN.match(text)
        bullet = _BULLET.match(text)
        if bullet and _LETTER.match(bullet.group(1)) and line.indent <= self.commitment_indent:
            # "- G. Work with schools ...": a lettered commitment set as a bullet
            letter, bullet = _LETTER.match(bullet.group(1)), None
        if letter and roman and self._roman_here(roman.group(1), line):
            letter = None
        if letter:
            self.add_commitment(line, letter.group(2), letter.group(1).upper())
        elif roman or bullet:
            body = roman.group(2) if roman else bullet.group(1)
            if self.commitment is not None and (line.indent > self.commitment_indent or roman):
                self.add_subpoint(line, body, roman.group(1).lower() if roman else None)
            else:
                self.add_commitment(line, body, None)
        elif self.where == "paragraph" and self.commitment is not None \
                and line.indent > self.commitment_indent:
            self.add_subpoint(line, text, None)  # an indented paragraph under a commitment
        elif self.where == "line" and self.last_item is not None and not self.after_blank:
            self.last_item_text(text)  # a pasted line that carries on the one before
        elif self.priority is None:
            if self.draft.priorities:
                self.draft.warn(self.place(line), f"'{text[:60]}' is not part of any priority or "
                                                  "commitment and is left out.")
            # before the first priority: the document's title and introduction
        else:
            self.draft.warn(self.place(line), f"'{text[:60]}' is not part of any commitment and "
                                              "is left out (a commitment starts with its letter, "
                                              "such as 'A.').")

    def _roman_here(self, numeral: str, line: OutlineLine) -> bool:
        """'i)' is the ninth letter after 'h)', and a sub-point numeral otherwise."""
        numeral = numeral.lower()
        if self.commitment is None:
            return False
        expected_letter = chr(ord(self.last_letter.lower()) + 1) if self.last_letter else "a"
        if numeral == expected_letter and line.indent <= self.commitment_indent:
            return False
        return _roman_value(numeral) == self.last_sub_roman + 1 or line.indent > self.commitment_indent

    def _priority_text(self, line: OutlineLine, text: str) -> bool:
        """The priority's objective, partnership lead-in and outcome, worded as the sample plan
        keeps them (without "Our objective is", "we will:" and "So that")."""
        priority = self.priority
        if _OBJECTIVE.match(text):
            body = re.sub(r"^[\"“']?\s*our objective\s*(?:is\s*)?", "", text, flags=re.I)
            priority.objective = body.strip("\"“”' ")
        elif _OUTCOME.match(text):
            priority.outcome = re.sub(r"^so that\s*", "", text, flags=re.I).strip()
        elif _WE_WILL.search(text):
            lead_in = _WE_WILL.sub("", text).strip(" ,:")
            if lead_in and lead_in.lower() not in ("working with partners", "together"):
                priority.partnership = lead_in
        else:
            return False
        self.last_item = None
        return True

    def start_priority(self, line: OutlineLine, text: str) -> None:
        number, title = split_heading(text)
        if number is None:
            number = max(self.by_number, default=0) + 1
        found = self.by_number.get(number)
        if found is not None:
            if title and title.lower() != found.title.lower():
                self.draft.problem(self.place(line), f"a second Priority {number} ('{title}'); "
                                                     f"the first is '{found.title}' at "
                                                     f"{found.place}.")
            # The same heading again ("Continued >" pages): carry on in that priority.
            self.priority = found
        else:
            expected = max(self.by_number, default=0) + 1
            if self.by_number and number > expected:
                self.draft.warn(self.place(line), f"Priority {number} follows Priority "
                                                  f"{expected - 1}: is Priority {expected} missing?")
            self.priority = DraftPriority(number, title or f"Priority {number}", self.place(line),
                                          title_given=bool(title))
            self.by_number[number] = self.priority
            self.draft.priorities.append(self.priority)
            self.last_letter = None
            self.letter_places = {}
            self.commitment = None
        self.last_item = self.priority

    def add_commitment(self, line: OutlineLine, text: str, code: str | None) -> None:
        if self.priority is None:
            self.draft.problem(self.place(line), f"'{text[:60]}' comes before any numbered "
                                                 "priority; put a line such as 'Priority 1 - ...' "
                                                 "above it.")
            self.priority = DraftPriority(0, "(no priority)", self.place(line))
            self.draft.priorities.append(self.priority)
        if code and code.isalpha():
            self.check_letter(line, code)
        item = DraftCommitment(text.strip(), self.place(line), code=code)
        self.priority.commitments.append(item)
        self.commitment = item
        self.commitment_indent = line.indent
        self.last_item = item
        self.last_sub_roman = 0

    def check_letter(self, line: OutlineLine, code: str) -> None:
        """Letters run A, B, C in each priority; a commitment whose letter was lost (a plain
        bullet) still takes its place in the run."""
        number = self.priority.number
        expected = chr(ord("A") + len(self.priority.commitments))
        if code in self.letter_places:
            self.draft.warn(self.place(line), f"a second '{code}' in Priority {number} (the first "
                                              f"is at {self.letter_places[code]}).")
        elif code > expected:
            skipped = (f"'{expected}' is" if ord(code) - ord(expected) == 1 else
                       f"'{expected}' to '{chr(ord(code) - 1)}' are")
            after = f"'{self.last_letter}'" if self.last_letter else "the start of the priority"
            self.draft.warn(self.place(line), f"'{code}' follows {after} in Priority {number}: "
                                              f"{skipped} missing.")
        self.letter_places.setdefault(code, self.place(line))
        if self.last_letter is None or code > self.last_letter:
            self.last_letter = code

    def add_subpoint(self, line: OutlineLine, text: str, numeral: str | None) -> None:
        item = DraftCommitment(text.strip(), self.place(line), code=numeral)
        self.commitment.children.append(item)
        self.last_item = item
        if numeral:
            self.last_sub_roman = _roman_value(numeral)

    def last_item_text(self, text: str) -> None:
        item = self.last_item
        if isinstance(item, DraftPriority):
            if item.title_given:
                item.title = f"{item.title} {text}"
            else:
                item.title, item.title_given = text, True
        else:
            item.text = f"{item.text} {text}"


def read_outline(lines: list[OutlineLine], source: str, where: str = "line",
                 known_partners: set[str] | None = None) -> PlanDraft:
    """The plan an outline describes, with every problem named by line (or paragraph)."""
    draft = PlanDraft(source)
    draft.known_partners = {n.lower() for n in (known_partners or set())}
    outline = _Outline(draft, where)
    outline.read(lines)
    if not draft.priorities:
        draft.problem("", "no numbered priorities were found: an outline starts each priority "
                          "with its number ('Priority 1 - ...' or '1. ...') and each commitment "
                          "with its letter ('A. ...').")
    for priority in draft.priorities:
        if priority.number and not priority.commitments:
            draft.warn(priority.place, f"Priority {priority.number} ('{priority.title}') has no "
                                       "commitments under it.")
    return draft


def read_outline_text(text: str, source: str = "pasted text",
                      known_partners: set[str] | None = None) -> PlanDraft:
    return read_outline(lines_of_text(text), source, "line", known_partners)
