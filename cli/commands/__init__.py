"""Sub-commands of the ``jixiao`` console script, one module per area.

Each module named in ``MODULES`` has ``register(subparsers)``, which adds its parsers and sets
``func`` on each to a handler ``(args) -> int``. None of them imports textual, so a command-line
call stays quick.
"""

MODULES = (
    "jixiao.cli.commands.tables",     # import, export-targets           (issue 2)
    "jixiao.cli.commands.record",     # record, spend, explain           (issue 3)
    "jixiao.cli.commands.admin",      # check, settings                  (issue 4)
    "jixiao.cli.commands.access",     # grant, revoke, grants, log       (issue 7)
    "jixiao.cli.commands.reports",    # snapshot, diff, report, export-monitoring (issue 6)
    "jixiao.cli.commands.readings",   # readings, reading                (issue 12)
    "jixiao.cli.commands.db",         # db init, db upgrade, db copy     (issue 13)
)
