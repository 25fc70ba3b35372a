"""The ``jixiao`` command: argument parsing, one module per command group, and the TUI launcher."""
