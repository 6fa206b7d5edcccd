"""`python -m tracker [--db PATH] [COMMAND ...]`: the same as the `tracker` command (the window
runs team sync this way, in a child process)."""

import sys

from tracker.cli import main

sys.exit(main())
