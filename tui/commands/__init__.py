"""Sub-commands of the ``jixiao`` console script, one module per area.

Each module named in ``MODULES`` has ``register(subparsers)``, which adds its parsers and sets
``func`` on each to a handler ``(args) -> int``. None of them imports textual, so a command-line
call stays quick.
"""

MODULES = (
    "tui.commands.tables",     # import, export-targets           (issue 2)
    "tui.commands.record",     # record, spend, explain           (issue 3)
    "tui.commands.admin",      # check, settings                  (issue 4)
    "tui.commands.access",     # grant, revoke, grants, log       (issue 7)
    "tui.commands.reports",    # snapshot, diff, report, export-monitoring (issue 6)
)
