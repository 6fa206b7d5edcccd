"""Start Commitment Tracker: `python main.py [--db PATH] [COMMAND ...]`."""

import sys

from tracker.cli import main

if __name__ == "__main__":
    sys.exit(main())
