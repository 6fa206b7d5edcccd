"""Build the one-folder bundle: `python packaging/build_bundle.py [--dist DIR]`.

Builds the project's wheel (offline, no build isolation: the running Python needs setuptools
77+ and PyInstaller, i.e. `pip install -e .[bundle]`), unpacks it as the bundle's source, and
runs PyInstaller on packaging/tracker.spec. The result is DIR/CommitmentTracker/ (default
dist/): CommitmentTracker[.exe] opens the window, tracker[.exe] runs the commands. Prints the
bundle's size. The same script runs on Windows (.github/workflows/windows.yml) and Linux.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "tracker.spec"


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(dist: Path, work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    wheels, stage = work / "wheel", work / "stage"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
                    "--no-build-isolation", "--wheel-dir", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("commitment_tracker-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(stage)
    env = dict(os.environ, TRACKER_BUNDLE_STAGE=str(stage))
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(SPEC)],
                   check=True, env=env)
    return dist / "CommitmentTracker"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bundle",
                        help="scratch folder (emptied first)")
    args = parser.parse_args(argv)
    try:
        bundle = build(args.dist.resolve(), args.work.resolve())
    except subprocess.CalledProcessError as exc:
        step = "PyInstaller" if "PyInstaller" in exc.cmd else "building the wheel"
        print(f"build_bundle: {step} failed (exit {exc.returncode}; its message is above).",
              file=sys.stderr)
        return 1
    size = folder_size(bundle)
    files = sum(1 for f in bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"Bundle: {bundle} ({size / 1e6:.0f} MB in {files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
