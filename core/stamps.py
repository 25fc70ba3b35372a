"""Recording times as a person reads them: in the local time zone, without microseconds.

``recorded_at`` is stored in UTC to the microsecond (``core.model.now_iso``) while imported and
sample entries carry a local offset (``+08:00``); shown as stored, the two look hours apart.
"""

from __future__ import annotations

from datetime import datetime


def local_stamp(stamp: str, *, seconds: bool = False) -> str:
    """``stamp`` (ISO 8601) in the process's local time zone (``TZ``) as ``YYYY-MM-DD HH:MM``,
    with ``:SS`` when ``seconds``. A stamp without an offset was written in local time and is
    only shortened; one that is no time at all is returned unchanged."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone()
        except (OverflowError, OSError):  # out of the platform's range: as written
            pass
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
