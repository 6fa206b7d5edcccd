"""The bundle's entry point: the `tracker` command, or the window when no command is given."""

import sys

from tracker.cli import main

if __name__ == "__main__":
    sys.exit(main())
