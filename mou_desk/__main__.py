"""``python -m mou_desk`` is the same as the ``mou-desk`` command."""

import sys

from mou_desk.cli.main import main

sys.exit(main())
