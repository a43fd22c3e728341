"""``python -m sckg`` is the same as the ``sckg`` command."""

import sys

from .cli import main

sys.exit(main())
