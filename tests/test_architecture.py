"""Layers point one way; the contracts live in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_window_and_the_command_line_never_touch_the_connection():
    """import-linter keeps the store's writing modules out of ui and cli; this keeps out the
    rest of the way to SQL: the Store's own connection, execute, query and transaction."""
    import ast

    reaching = {"conn", "execute", "executemany", "executescript", "query", "transaction"}
    found = []
    for folder in ("ui", "cli"):
        for path in sorted((ROOT / "tracker" / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            found += [f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}"
                      for node in ast.walk(tree)
                      if isinstance(node, ast.Attribute) and node.attr in reaching]
    assert found == []

