"""Who is acting: the operating-system account of the process (DESIGN.md §9).

The name comes from the effective uid through the password database, never from an environment
variable or a flag, so a user cannot claim to be someone else. Tests pass ``user=`` to ``Store``
instead (the one injectable seam).
"""

from __future__ import annotations

import os
import pwd


def current_user() -> str:
    """The account name of the effective uid, or ``uid:N`` when the uid has no passwd entry."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        # Containers sometimes run with a uid that has no account; the number still identifies it.
        return f"uid:{uid}"


def is_known_account(name: str) -> bool:
    """Whether ``name`` is an account on this machine (used to warn about typos in grants)."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
