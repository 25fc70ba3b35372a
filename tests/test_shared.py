"""The helpers several modules share: number display, execution rate, colour words, entry order,
timestamps, year arguments and atomic output files."""

from __future__ import annotations

import argparse
import os
from datetime import datetime

import pytest

from jixiao.core.dataset import Dataset
from jixiao.core.errors import JixiaoError
from jixiao.core.model import ProgressEntry, Settings, entry_order, now_iso
from jixiao.core.numbers import format_number
from jixiao.core.budget_light import execution_rate
from jixiao.core.colours import COLOURS, COUNT_ORDER, SEVERITY, colour_word
from jixiao.cli.commands.common import parse_year, write_output
from jixiao.store.exports import write_atomically


@pytest.mark.parametrize("x,kw,shown", [
    (12.5, {}, "12.5"), (8.0, {}, "8"), (0.12345, {}, "0.1235"), (1000.0, {}, "1000"),
    (1234.56, {"digits": 2, "scaled": True}, "1235"), (123.456, {"digits": 2, "scaled": True}, "123.5"),
    (1.234, {"digits": 2, "scaled": True}, "1.23"), (98543.96, {"digits": 2, "scaled": True, "grouped": True}, "98,544"),
])
def test_format_number(x, kw, shown):
    assert format_number(x, **kw) == shown


def test_execution_rate():
    assert execution_rate(40.0, 80.0) == 0.5
    assert execution_rate(None, 80.0) is None
    assert execution_rate(10.0, 0.0) is None
    assert execution_rate(10.0, None) is None


def test_colour_table():
    assert set(COUNT_ORDER) == set(COLOURS) == set(SEVERITY)
    assert sorted(COLOURS, key=SEVERITY.get) == list(COLOURS)
    assert colour_word("amber") == "黄" and colour_word("amber", "en") == "amber"
    assert colour_word("purple", "en") == "purple"


def test_now_iso_is_precise_utc():
    stamp = now_iso()
    moment = datetime.fromisoformat(stamp)
    assert stamp.endswith("+00:00") and "." in stamp
    assert moment.utcoffset().total_seconds() == 0


def _entry(recorded_at, as_of="2023-06-30"):
    return ProgressEntry(id=recorded_at, indicator_id="i", as_of=as_of, actual="1", author="a",
                         recorded_at=recorded_at)


def test_entry_order_compares_instants_not_text():
    # 09:00 in Beijing is 01:00 UTC: earlier than 02:00 UTC although it sorts later as text.
    beijing = _entry("2023-06-30T09:00:00+08:00")
    utc = _entry("2023-06-30T02:00:00.000001+00:00")
    same_second = [_entry("2023-06-30T03:00:00.000010+00:00"),
                   _entry("2023-06-30T03:00:00.000002+00:00")]
    got = sorted([same_second[0], utc, beijing, same_second[1]], key=entry_order)
    assert [e.recorded_at for e in got] == [beijing.recorded_at, utc.recorded_at,
                                          same_second[1].recorded_at, same_second[0].recorded_at]
    # The date still comes first; an unreadable stamp sorts last among its date.
    assert entry_order(_entry("garbage")) > entry_order(utc)
    assert entry_order(_entry("2023-06-30T09:00:00+08:00", as_of="2023-07-01")) > \
        entry_order(_entry("garbage"))


def test_dataset_keeps_history_in_entry_order():
    ds = Dataset(Settings(year=2023, as_of="2023-06-30"))
    later = _entry("2023-06-30T02:00:00+00:00")
    earlier = _entry("2023-06-30T09:00:00+08:00")
    ds.add_progress(later)
    ds.add_progress(earlier)
    assert ds.progress["i"] == [earlier, later]
    assert ds.counting_progress("i", "2023-06-30") is later


def test_parse_year():
    assert parse_year("2023") == 2023
    with pytest.raises(argparse.ArgumentTypeError):
        parse_year("23")


def test_write_atomically(tmp_path, umask):
    path = tmp_path / "out.csv"
    path.write_text("old")
    write_atomically(path, "名称,值\r\n", encoding="utf-8-sig")
    assert path.read_bytes() == "\ufeff名称,值\r\n".encode("utf-8")
    # like any file the user writes: 0o644 under umask 022, 0o664 under a shared server's 002
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]

    def fails(fh):
        fh.write("half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomically(path, fails)
    assert path.read_text(encoding="utf-8-sig") == "名称,值\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    with pytest.raises(JixiaoError, match="is a directory"):
        write_atomically(tmp_path, "x")


def test_an_export_into_a_pipe_or_device_writes_into_it_and_never_replaces_it(tmp_path):
    """``-o /dev/null`` or a named pipe: a rename over it (as root, over /dev/null) would turn
    the device into a plain file for every program on the machine."""
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomically(fifo, "名称,值\r\n", encoding="utf-8")
    reader.join(timeout=10)
    assert got == ["名称,值\r\n".encode("utf-8")]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_write_output_to_stdout(capsys):
    write_output(lambda fh: fh.write("hello\n"), None)
    assert capsys.readouterr().out == "hello\n"
