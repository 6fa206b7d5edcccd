"""Delivery plans in offices' own layouts, built with openpyxl for the tests.

The commitments' wording is the Extension 2020/21's (tests/data/seeds/002_f359689a80dc1b0c.txt,
Priorities 1 and 2); the layout, dates, leads and RAG fills are what such plans look like, made
up for the tests and never shipped.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

GREEN, AMBER, RED, BLUE = "00B050", "FFC000", "FF0000", "0070C0"
HEADINGS = ["Actions", "Timescale", "Sponsor", "Lead officer", "Current Status of Action", "R/A/G"]

PRIORITY_1 = "Priority 1 - More Local, Visible and Accessible Policing"
PRIORITY_2 = "Priority 2 - Crack down on Anti-Social Behaviour"
P1 = [
    ("Provide strong visible, preventative policing in crime and anti-social behaviour hotspots, "
     "town centres, neighbourhoods and around the night-time economy.",
     "Sep '19", "Essex Police", "Chief Inspector, Local Policing", "Hotspot patrols in place.", GREEN),
    ("Develop a series of shared spaces for officers to use such as in fire stations and local "
     "community centres.", "March 2021", "Essex County Fire and Rescue Service; Essex Police",
     "Estates lead", "Two shared stations open.", AMBER),
    ("Make it easier to contact the police. Improve the 101-response time, encourage online "
     "reporting and realise the benefits of the national Single Online Home solution.",
     "Q3 2020/21", "Essex Police", "Head of Contact Management", None, RED),
]
P2 = [
    ("Tackle anti-social behaviour to prevent longer-term and more serious crime.",
     "31/03/2021", "Community Safety Partnerships", "ASB lead", "Partnership plan agreed.", GREEN),
    ("Make greater use of Restorative Justice (RJ) to help put right the harm caused by "
     "anti-social behaviour, making clear to perpetrators the effect their behaviour has on "
     "individuals and communities.", "Ongoing", "Essex Police", "RJ coordinator", None, BLUE),
]
HIDDEN = ("Support the community spirit shown throughout the COVID-19 crisis to strengthen "
          "communities, tackle ASB and ensure criminals have no place to thrive.", "2020/21",
          "Essex Police", "Neighbourhood lead", None, GREEN)


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def write_delivery_plan(ws, hidden_row: bool = True) -> dict[str, int]:
    """The layout of the issue: a title row, merged priority headings, RAG as fills, a blank
    separator row and a hidden row. Returns the rows where things are."""
    ws.merge_cells("A1:F1")
    ws["A1"] = "Police, Fire and Crime Commissioner for Essex: Delivery Plan"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Extension 2020/21"
    for n, heading in enumerate(HEADINGS, start=1):
        ws.cell(4, n, heading).font = Font(bold=True)
    rows: dict[str, int] = {"header": 4}
    row = 5
    for key, heading, items in (("p1", PRIORITY_1, P1), ("p2", PRIORITY_2, P2)):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.cell(row, 1, heading).font = Font(bold=True)
        rows[key] = row
        row += 1
        for n, (text, due, sponsor, lead, update, rag) in enumerate(items):
            for column, value in enumerate((text, due, sponsor, lead, update), start=1):
                ws.cell(row, column, value)
            ws.cell(row, 6).fill = _fill(rag)
            rows[f"{key}.{n}"] = row
            row += 1
        if key == "p1":
            if hidden_row:
                for column, value in enumerate(HIDDEN[:5], start=1):
                    ws.cell(row, column, value)
                ws.cell(row, 6).fill = _fill(HIDDEN[5])
                ws.row_dimensions[row].hidden = True
                rows["hidden"] = row
                row += 1
            rows["blank"] = row
            row += 1  # a blank separator row
    return rows


def delivery_plan(path: Path, **kwargs) -> dict[str, int]:
    wb = Workbook()
    ws = wb.active
    ws.title = "Delivery Plan"
    rows = write_delivery_plan(ws, **kwargs)
    lookups = wb.create_sheet("Lookups")
    for n, word in enumerate(("Green", "Amber", "Red", "Blue"), start=1):
        lookups.cell(n, 1, word)
    wb.save(path)
    return rows


def save_with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells the results a spreadsheet would have saved with them (openpyxl
    writes formulas without results): {"F7": "Green"}."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode("utf-8")
    for ref, value in values.items():
        xml, count = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                             rf'<c r="{ref}" t="str"><f>\2</f><v>{value}</v>', xml)
        assert count == 1, (ref, xml[:400])
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
