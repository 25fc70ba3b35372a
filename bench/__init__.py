"""Benchmarks at city and province scale (``python bench/run.py``); figures printed, never timed tests."""
