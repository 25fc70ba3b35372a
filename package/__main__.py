"""``python -m jixiao``: the same as the ``jixiao`` command."""

import sys

from jixiao.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
