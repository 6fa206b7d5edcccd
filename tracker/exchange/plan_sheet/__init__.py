"""Bringing an office's own plan in: a spreadsheet of its own layout, or a Word outline.

Reading (`grid`, `outline`) makes a `PlanDraft` (`draft`): the tree of priorities,
commitments and sub-points the tracker would create, with every problem named by sheet and
cell (or line). Nothing is written until `create.create_plan` is called with a draft that has
no problems; it writes the whole plan in one transaction.
"""
