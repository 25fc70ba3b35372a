"""``python -m jixiao``: the same as the ``jixiao`` command."""

from jixiao.cli.main import entry

if __name__ == "__main__":
    entry()
