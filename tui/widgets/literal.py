"""User text made safe to draw; see ``core.text`` (shared with the command line)."""

from jixiao.core.text import visible as literal

__all__ = ["literal"]
