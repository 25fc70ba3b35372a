"""jixiao (绩效): terminal monitoring of budget performance targets (预算绩效运行监控).

The installed package gathers the repository's top-level folders under one import name:
``jixiao.core`` decides (domain rules, pure), ``jixiao.store`` keeps (data files, PostgreSQL),
``jixiao.tui`` shows (the Textual app), ``jixiao.cli`` talks (the ``jixiao`` command), and
``jixiao.sample_data`` holds the seed tables. Imports point down only: cli/tui → store → core.
"""
