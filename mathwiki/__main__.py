"""``python -m mathwiki``: the command line (see ``mathwiki.cli``)."""

import sys

from mathwiki.cli import main

sys.exit(main())
