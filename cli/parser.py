"""argparse in the run's language, with columns that line up when names are Chinese.

argparse writes its own words ("usage:", "options", "show this help message and exit", its
error messages) in English and lines help up by counting characters, so a metavar such as
``二级指标`` (four characters, eight columns) pushed its help four columns right. ``Parser`` and
``HelpFormatter`` here speak the language of ``core.language`` and measure in terminal columns.
"""

from __future__ import annotations

import argparse
import re
import sys

from jixiao.core.language import current, say
from jixiao.core.textwidth import width

_HEADINGS_ZH = {"positional arguments": "位置参数", "options": "选项",
                "optional arguments": "选项"}

_ERRORS_ZH = (
    # (argparse's English message, its Chinese); the groups are carried over as they are.
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"参数 \1：无效的选项 \2（可选：\3）"),
    (r"argument (.*?): expected one argument", r"参数 \1：需要一个值"),
    (r"argument (.*?): expected at least one argument", r"参数 \1：至少需要一个值"),
    (r"argument (.*?): invalid (.*?) value: (.*)", r"参数 \1：无效的值 \3"),
    (r"argument (.*?): not allowed with argument (.*)", r"参数 \1：不能与参数 \2 同时使用"),
    (r"argument (.*?): ignored explicit argument (.*)", r"参数 \1：不接受值 \2"),
    (r"argument (.*?): (.*)", r"参数 \1：\2"),
    (r"ambiguous option: (.*?) could match (.*)", r"选项 \1 有歧义，可能是：\2"),
)


def translate_error(message: str) -> str:
    """argparse's English error ``message`` in the run's language."""
    if current() != "zh":
        return message
    for pattern, zh in _ERRORS_ZH:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, zh, message)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """Headings in the run's language; help lined up and wrapped by terminal columns."""

    def start_section(self, heading):
        """A section, its heading translated."""
        if current() == "zh":
            heading = _HEADINGS_ZH.get(heading, heading)
        super().start_section(heading)

    def format_help(self):
        """The help, a Chinese heading ended by a Chinese colon (argparse writes ":")."""
        text = super().format_help()
        if current() == "zh":
            for heading in set(_HEADINGS_ZH.values()):
                text = text.replace(f"\n{heading}:\n", f"\n{heading}：\n")
        return text

    def add_usage(self, usage, actions, groups, prefix=None):
        """The usage line, introduced in the run's language."""
        super().add_usage(usage, actions, groups, say("usage: ", "用法：") if prefix is None else prefix)

    def _format_usage(self, usage, actions, groups, prefix):
        # argparse wraps the usage by len(): "用法：" (six columns, three characters) left every
        # continuation line three columns short of the first argument, and a line of Chinese
        # choices ran past the terminal. The same layout as argparse's, measured in columns.
        if usage is not None or not actions:
            return super()._format_usage(usage, actions, groups, prefix)
        prog = self._prog
        optionals = [a for a in actions if a.option_strings]
        positionals = [a for a in actions if not a.option_strings]
        opt_usage = self._format_actions_usage(optionals, groups)
        pos_usage = self._format_actions_usage(positionals, groups)
        columns = self._width - self._current_indent
        whole = " ".join(s for s in (prog, opt_usage, pos_usage) if s)
        if width(prefix) + width(whole) <= columns:
            return f"{prefix}{whole}\n\n"
        opt_parts = re.findall(_USAGE_PART, opt_usage)
        pos_parts = re.findall(_USAGE_PART, pos_usage)
        if width(prefix) + width(prog) <= 0.75 * columns:
            # The arguments follow the program, each continuation under the first argument.
            indent = width(prefix) + width(prog) + 1
            first = [prog] + (opt_parts or pos_parts)
            lines = _fill(first, width(prefix), indent, columns)
            if opt_parts:
                lines += _fill(pos_parts, indent, indent, columns)
            lines = lines[:1] + [" " * indent + line for line in lines[1:]]
        else:
            # A long program name gets a line of its own, the arguments under it.
            indent = width(prefix)
            lines = _fill(opt_parts + pos_parts, indent, indent, columns)
            if len(lines) > 1:
                lines = _fill(opt_parts, indent, indent, columns) + _fill(pos_parts, indent, indent,
                                                                          columns)
            lines = [prog] + [" " * indent + line for line in lines]
        return prefix + "\n".join(lines) + "\n\n"

    def _format_action(self, action):
        # argparse pads the option column by len(); a wide character takes two columns, so
        # the gap before the help shrinks by what the invocation is wider than its length.
        lines = super()._format_action(action).split("\n")
        return "\n".join(_realign(line) for line in lines)

    def _split_lines(self, text, width_):
        return wrap(" ".join(text.split()), width_)

    def _fill_text(self, text, width_, indent):
        return "\n".join(indent + line for line in wrap(" ".join(text.split()), width_ - len(indent)))


_USAGE_PART = r"\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+"
"""One unbreakable piece of a usage line (argparse's own pattern): a bracketed group or a word."""


def _fill(parts: list[str], start: int, indent: int, columns: int) -> list[str]:
    """``parts`` joined by spaces into lines that end by column ``columns``: the first line
    starts at column ``start``, the others at ``indent`` (which the caller writes)."""
    lines: list[str] = []
    line: list[str] = []
    used = start - 1
    for part in parts:
        if line and used + 1 + width(part) > columns:
            lines.append(" ".join(line))
            line, used = [], indent - 1
        line.append(part)
        used += width(part) + 1
    if line:
        lines.append(" ".join(line))
    return lines


def _realign(line: str) -> str:
    match = re.match(r"^(\s*\S.*?)(\s{2,})(\S.*)$", line)
    if not match:
        return line
    head, gap, rest = match.groups()
    extra = width(head) - len(head)
    if extra <= 0:
        return line
    return head + " " * max(2, len(gap) - extra) + rest


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal columns, broken at spaces, or between
    wide characters (Chinese is written without spaces)."""
    lines: list[str] = []
    line = ""
    # A closing mark stays with what it closes: a line never starts with "）" or "，".
    for token in re.findall(r"(?:[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+)"
                            r"[）」』，。；：、！？)]*|\s+", text):
        if token.isspace():
            token = " "
        if width(line + token) > columns and line.strip():
            lines.append(line.rstrip())
            line = "" if token == " " else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help and errors speak the run's language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=say("show this help message and exit", "显示本帮助并退出"))

    def error(self, message):
        """Print the usage and ``message`` (translated) and exit with status 2."""
        self.print_usage(sys.stderr)
        colon = say(": ", "：")
        self.exit(2, f"{self.prog}{colon}{say('error', '错误')}{colon}{translate_error(message)}\n")
