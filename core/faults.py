"""What jixiao says when a file, a disk or an input is at fault: every such message, keyed, in
Chinese (the default) and English, in one table so a translation is one edit and the two
languages never drift apart.

``said(key, **fields)`` gives one in both languages (what a ``JixiaoError`` carries, so the TUI
and the CLI each show their own); ``say`` renders it in the current run's language
(``core.language``). Fields are user text or paths and are substituted as they are.
"""

from __future__ import annotations

import errno
import os

from .language import Said, current

# key: (zh, en)
FAULTS: dict[str, tuple[str, str]] = {
    # --- symbolic links inside the data directory -----------------------------------------------
    "symlink": (
        "{path} 是一个符号链接（指向 {target}）。jixiao 从不跟随数据目录内的链接：有人可能借此"
        "改写目录外的文件。请删除该链接（rm {path}）{restore}；未做任何更改",
        "{path} is a symbolic link (to {target}). jixiao never follows links inside the data "
        "directory: one could make it overwrite a file outside it. Remove the link (rm {path})"
        "{restore}; nothing was changed"),
    "symlink_restore": ("，再从 .bak 或备份恢复原文件", " and restore the file from its .bak "
                                                   "or a backup"),
    "not_a_file": (
        "{path} 是一个目录，而这里应当是 jixiao 的文件。请把该目录移走（mv {path} 其他位置）"
        "{restore}；未做任何更改",
        "{path} is a directory where jixiao keeps a file. Move the directory away "
        "(mv {path} SOMEWHERE_ELSE){restore}; nothing was changed"),
    "not_a_dir": (
        "{path} 应当是一个目录，但它不是。请把它移走再重试；未做任何更改",
        "{path} should be a directory but is not. Move it away and try again; nothing was "
        "changed"),
    # --- operating-system faults while writing or reading ---------------------------------------
    # {nothing} is what was spared: "nothing_recorded" in the store, "nothing_written" for a file
    # the user asked for (an export cannot have recorded anything, nor lost anything recorded).
    "disk_full": (
        "磁盘已满，{nothing}（写 {path} 时：{detail}）。请释放空间后重试",
        "disk full, {nothing} (writing {path}: {detail}). Free some space and try again"),
    "read_only_fs": (
        "{path} 所在的文件系统是只读的，{nothing}",
        "{path} is on a read-only file system; {nothing}"),
    "no_write": (
        "用户 {user} 无权写 {path}（{owner}:{group}，{mode}{flags}），{nothing}：{advice}",
        "{user} may not write {path} ({owner}:{group}, {mode}{flags}); {nothing}: {advice}"),
    "nothing_recorded": ("未记录任何内容", "nothing recorded"),
    "nothing_written": ("未写入任何文件", "nothing was written"),
    "no_read": (
        "用户 {user} 无权读 {path}（{owner}:{group}，{mode}）：{advice}",
        "{user} may not read {path} ({owner}:{group}, {mode}): {advice}"),
    "advice_group": (
        "请管理员把 {user} 加入该数据目录的组 {group}（usermod -aG {group} {user}），重新登录后"
        "再试",
        "ask an admin to add {user} to the data directory's group {group} (usermod -aG {group} "
        "{user}) and log in again"),
    "advice_immutable": (
        "该文件或目录被设为不可更改（chattr +i）；如需写入，请 root 执行 chattr -i {path}",
        "it is marked immutable (chattr +i); to allow writing, root runs chattr -i {path}"),
    "advice_mode": (
        "请检查该文件和目录的权限（ls -ld {path}）",
        "check the permissions of the file and its directory (ls -ld {path})"),
    "os_error": (
        "无法{doing} {path}：{detail}；{nothing}",
        "cannot {doing} {path}: {detail}; {nothing}"),
    "doing_write": ("写入", "write"),
    "doing_read": ("读取", "read"),
    "doing_export": ("写入", "write"),
    "import_undone": (
        "{cause}。已写入的 {count} 个单位文件已撤销，数据目录保持导入前的状态",
        "{cause}. The {count} unit file(s) already written were undone: the data directory is "
        "as it was before the import"),
    "import_half_done": (
        "{cause}。导入只完成了一部分，且无法撤销：{files}。请运行 jixiao check，并在释放空间后"
        "重新导入同一文件",
        "{cause}. The import is only partly done and could not be undone: {files}. Run "
        "jixiao check, and import the same file again once the fault is fixed"),
    # --- the grants file --------------------------------------------------------------------------
    "grants_missing": (
        "{path} 不见了，但数据目录中有单位文件：谁能做什么已无从得知，因此拒绝一切操作（不会从"
        "头开始授权）。请从 {bak} 或备份恢复 grants.json：{restore}",
        "{path} is missing although the data directory holds unit files: who may do what is "
        "unknown, so everything is refused (grants never start over). Restore grants.json from "
        "{bak} or a backup: {restore}"),
    "grants_restore_bak": ("cp -p {bak} {path}", "cp -p {bak} {path}"),
    "grants_restore_backup": ("没有可用的 {bak}，请从备份恢复",
                              "there is no usable {bak}, so restore it from a backup"),
    "no_admin_left": (
        "这样将没有 admin（管理员），以后没人能修改授权；请先授权另一个 admin",
        "this would leave no admin, and nobody could change grants any more; grant another "
        "admin first"),
    # --- refusals: the grants (store.grants), said alike by both stores -------------------------
    "need_admin": (
        "{user} 不能{doing}：需要 admin（管理员）角色；{user} 是{standing}。",
        "{user} may not {doing}: that needs the admin role; {user} is {standing}."),
    "need_reporter": (
        "{user} 不能{doing}：需要 manager（管理者）或 admin（管理员）角色；{user} 是{standing}。",
        "{user} may not {doing}: that needs the manager or admin role; {user} is {standing}."),
    "need_unit": (
        "{user} 不能为单位 {code} {doing}：需要该单位的 owner（填报人）角色（或 admin）；{user} 是"
        "{standing}。请管理员运行：jixiao grant {user} --role owner --unit {code}",
        "{user} may not {doing} for unit {code}: that needs the owner role for unit {code} (or "
        "admin); {user} is {standing}. Ask an admin: jixiao grant {user} --role owner --unit "
        "{code}"),
    "standing_none": ("未被授予任何角色", "not granted any role"),
    "standing_owner": ("单位 {units} 的 owner（填报人）", "owner of unit(s) {units}"),
    "standing_admin": ("admin（管理员）", "admin"),
    "standing_manager": ("manager（管理者）", "manager"),
    # --- the PostgreSQL store (issue 13): the server's refusals carry these keys -----------------
    "db_not_granted": (
        "{user} 不能使用该数据库中的 jixiao 数据{detail}：{user} 未被授予任何角色。请管理员运行："
        "jixiao grant {user} --role owner --unit 单位代码",
        "{user} may not use the jixiao data in this database{detail}: {user} is not granted any "
        "role. Ask an admin: jixiao grant {user} --role owner --unit CODE"),
    "db_append_only": (
        "{table} 只能追加：其中的记录从不修改或删除",
        "{table} is append-only: its records are never changed or deleted"),
    "db_entry_date": (
        "记录的{field_zh} {value} 不是预算年度或次年内、YYYY-MM-DD 格式的真实日期；未记录任何内容",
        "the entry's {field_en} {value} is not a real date written YYYY-MM-DD in the budget year "
        "or the next; nothing was recorded"),
    "db_entry_text": (
        "记录的{field_zh}须为文字{need_zh}；未记录任何内容",
        "the entry's {field_en} must be text{need_en}; nothing was recorded"),
    "db_entry_choice": (
        "记录的{field_zh} {value} 不是 {allowed} 之一；未记录任何内容",
        "the entry's {field_en} {value} is not one of {allowed}; nothing was recorded"),
    "db_entry_amount": (
        "支出金额 {value} 须为 0 到 10¹² 之间的数；未记录任何内容",
        "the amount spent {value} must be a number from 0 to 10¹²; nothing was recorded"),
    "db_no_indicator": (
        "{db}中没有编号为 '{id}' 的指标",
        "no indicator with id '{id}' in the database{db}"),
    "db_no_project": (
        "{db}中没有编号为 '{id}' 的项目",
        "no project with id '{id}' in the database{db}"),
    "db_reading_gone": (
        "指标 {id} 已不在数据库中（重新导入时被删除）；未做任何更改",
        "indicator {id} is no longer in the database (a re-import removed it); nothing was "
        "changed"),
    "db_reading_changed": (
        "{id} 的指标值在此期间被修改了；未做任何更改",
        "the 指标值 of {id} changed meanwhile; nothing was changed"),
    "db_grants_changed": (
        "准备这次修改时授权已被他人改动；未做任何更改，请重试",
        "the grants changed while this change was prepared; nothing was changed, try again"),
    "db_import_no_unit": (
        "导入内容中没有单位 '{code}'；未存储任何内容",
        "the import names no unit '{code}'; nothing was stored"),
    "db_load_exists": (
        "{year} 年的单位 {code} 已在数据库中；整体载入只能填充空的存储",
        "unit {code} of {year} is in the database already; a bulk load only fills an empty "
        "store"),
    "db_unknown_unit": (
        "数据集中有未知单位 '{code}' 的项目",
        "the dataset has projects of unknown unit '{code}'"),
    "db_units_unknown": (
        "数据库中没有单位 {codes}；请检查代码，或先导入该单位的目标表",
        "unit(s) {codes} are not in this database; check the code, or import the unit's table "
        "first"),
    "db_no_tables": (
        "数据库 {db} 中没有已导入的目标表。请用 jixiao import 文件 导入目标表，或检查 --db / "
        "$JIXIAO_DB",
        "the database {db} holds no imported target tables. Import a table with `jixiao import "
        "FILE`, or check --db / $JIXIAO_DB"),
    "db_connect": (
        "无法连接数据库 {db}：{reason}",
        "cannot connect to the database {db}: {reason}"),
    "db_no_schema": (
        "该数据库还没有 jixiao 模式：请数据库所有者先运行 jixiao db init",
        "this database has no jixiao schema yet: the database owner runs `jixiao db init` "
        "first"),
    "db_schema_exists": (
        "该数据库已有 jixiao 模式（版本 {found}）；jixiao db upgrade 可将旧版本升级",
        "this database has a jixiao schema already (version {found}); `jixiao db upgrade` "
        "brings an older one up to date"),
    "db_schema_old": (
        "该数据库的 jixiao 模式是版本 {found}，比本 jixiao 的 {latest} 旧：请（以其所有者身份）"
        "运行 jixiao db upgrade",
        "the jixiao schema of this database is version {found}, older than this jixiao's "
        "{latest}: run `jixiao db upgrade` (as its owner)"),
    "db_schema_new": (
        "该数据库的 jixiao 模式是版本 {found}，比本 jixiao 能理解的（{latest}）新；未做任何更改："
        "请升级 jixiao",
        "the jixiao schema of this database is version {found}, newer than this jixiao "
        "understands ({latest}); nothing was changed: upgrade jixiao"),
    "db_server": (
        "数据库服务器拒绝了该操作：{message}",
        "{message}"),
    # --- check ------------------------------------------------------------------------------------
    "index_unit_missing": (
        "{index} 列出单位 {code}（{year} 年），但 {path} 不存在：该单位文件被删除或移走了。请从 "
        "{bak} 或备份恢复，或重新导入该单位的目标表",
        "{index} lists unit {code} ({year}) but {path} does not exist: the unit file was "
        "deleted or moved. Restore it from {bak} or a backup, or import the unit's table again"),
    "open_to_others": (
        "{path} 对其他用户开放（权限 {mode}）；请执行：chmod o-rwx {path}",
        "{path} is open to others (mode {mode}); run: chmod o-rwx {path}"),
    # --- input files and values ---------------------------------------------------------------------
    "utf16": (
        "{path} 是 UTF-16 编码的文本（{bom}），jixiao 读取 UTF-8、GBK 或 GB18030。请另存为 UTF-8："
        "在 Excel 中选“CSV UTF-8（逗号分隔）”，在记事本中选编码“UTF-8”，或执行 iconv -f UTF-16 "
        "-t UTF-8 {path} > 新文件.csv",
        "{path} is UTF-16 text ({bom}); jixiao reads UTF-8, GBK or GB18030. Save it as UTF-8: "
        "in Excel choose \"CSV UTF-8 (Comma delimited)\", in Notepad the encoding \"UTF-8\", "
        "or run iconv -f UTF-16 -t UTF-8 {path} > NEW.csv"),
    "nul_byte": (
        "{path} 第 {line} 行含有 NUL 字节（\\0），这不是一个文本文件或已损坏；未导入任何内容",
        "{path} line {line} holds a NUL byte (\\0): not a text file, or a damaged one; nothing "
        "was imported"),
    "duplicate_rows": (
        "{path} 中有重复的指标行：{rows}。请删除重复行后重新导入；未导入任何内容",
        "{path} repeats indicator rows: {rows}. Delete the repeated rows and import again; "
        "nothing was imported"),
    "more_rows": ("；另有 {count} 行重复", "; and {count} more repeated rows"),
    "duplicate_row": ("第 {line} 行与第 {first} 行相同（{name}）",
                      "line {line} repeats line {first} ({name})"),
    "target_too_long": (
        "{path} 第 {line} 行：指标值太长（{length} 个字符，最多 {limit} 个）。指标值是“≥8个”"
        "“2023年6月底前完成”这样的简短文字，说明请写在绩效指标描述中；未导入任何内容",
        "{path} line {line}: the 指标值 is too long ({length} characters, at most {limit}). A "
        "target is short text such as ≥8个 or 2023年6月底前完成; explanations belong in the "
        "绩效指标描述; nothing was imported"),
    "date_form": (
        "{what} 必须是 YYYY-MM-DD 形式的日期（如 2023-07-31），而不是 {value}",
        "{what} must be a date in the form YYYY-MM-DD (such as 2023-07-31), not {value}"),
    "no_such_day": (
        "{what} {text} 这一天不存在：{year}年{month}月只有 {days} 天",
        "{what} {text} does not exist: {month_name} {year} has {days} days"),
    "no_such_month": (
        "{what} {text} 这一天不存在：月份须为 01–12",
        "{what} {text} does not exist: the month must be 01–12"),
    "as_of_outside_year": (
        "监控日期 {as_of} 不在预算年度 {year} 内：请给出 {year}-01-01 到 {year}-12-31 之间的日期；"
        "未做任何更改",
        "the monitoring date {as_of} is outside the budget year {year}: give a date between "
        "{year}-01-01 and {year}-12-31; nothing was changed"),
    "entry_outside_years": (
        "日期为 {as_of} 的{what}不在 {project!r} 的预算年度 {year} 内：日期须在 {year}-01-01 到 "
        "{next}-12-31 之间（次年用于填报最终结果）；未记录任何内容",
        "{what} dated {as_of} is outside the budget year {year} of {project!r}: the date must "
        "lie between {year}-01-01 and {next}-12-31 (the following year, for final results); "
        "nothing was recorded"),
    "year_without_tables": (
        "数据目录中没有 {year} 年的目标表（已有：{years}）：请先导入该年度的表；未做任何更改",
        "the data directory holds no target tables for {year} (it has: {years}): import that "
        "year's tables first; nothing was changed"),
    "spend_far_over": (
        "注意：{project} 累计支出 {spent} 万元，是预算 {budget} 万元的 {times} 倍；如果单位写错了"
        "（亿元/万元/元），请用正确的金额再记录一次",
        "note: {project} has spent {spent} 万元, {times} times its budget of {budget} 万元; if "
        "the unit was wrong (亿元/万元/元), record the right amount again"),
    "amount_needs_unit": (
        "{text} 没有单位；按万元计，它是预算 {budget} 万元的 {times} 倍。请写明 元 或 万元（如 "
        "12万元、3500元）；未记录任何内容",
        "{text} has no unit; read as 万元 it would be {times} times the budget of {budget} "
        "万元. Say 元 or 万元 (such as 12万元 or 3500元); nothing recorded"),
    # --- Word and Excel files (core.formats) ----------------------------------------------------
    "office_legacy_doc": (
        "{path} 是旧版 Word 97-2003 .doc 文件，jixiao 不读取这种格式：请用 Word 或 WPS 打开，"
        "另存为 .docx（Word 文档）后导入；未导入任何内容",
        "{path} is a legacy Word 97-2003 .doc file, which jixiao does not read; open it in Word "
        "or WPS, save it as .docx (另存为 Word 文档) and import that; nothing was imported"),
    "office_legacy_xls": (
        "{path} 是旧版 Excel 97-2003 .xls 文件，jixiao 不读取这种格式：请用 Excel 或 WPS 打开，"
        "另存为 .xlsx（Excel 工作簿）后导入；未导入任何内容",
        "{path} is a legacy Excel 97-2003 .xls file, which jixiao does not read; open it in "
        "Excel or WPS, save it as .xlsx (另存为 Excel 工作簿) and import that; nothing was imported"),
    "office_legacy": (
        "{path} 是旧版 Office 97-2003 文件，jixiao 不读取这种格式：请打开后另存为 .docx 或 .xlsx "
        "再导入；未导入任何内容",
        "{path} is a legacy Office 97-2003 file, which jixiao does not read; open it, save it as "
        ".docx or .xlsx and import that; nothing was imported"),
    "office_password": (
        "{path} 设有密码保护，无法读取：请打开它，取消密码（文件 ▸ 信息 ▸ 保护文档/工作簿）并保存"
        "后重新导入；未导入任何内容",
        "{path} is protected by a password and cannot be read; open it, remove the password "
        "(File ▸ Info ▸ Protect) and save it, then import again; nothing was imported"),
    "zip_broken": ("其中的 ZIP 压缩包已损坏", "the ZIP archive inside it is broken"),
    "import_missing": ("{path}：没有这个文件；未导入任何内容",
                       "{path}: no such file; nothing was imported"),
    "import_directory": ("{path} 是一个目录，而要导入的应当是目标表文件（.docx、.xlsx、.txt 或 "
                         ".csv）；未导入任何内容",
                         "{path}: is a directory, expected a target-table file (.docx, .xlsx, "
                         ".txt or .csv); nothing was imported"),
    "import_unreadable": ("无法读取 {path}（{detail}）；未导入任何内容",
                          "{path}: cannot read ({detail}); nothing was imported"),
    "office_damaged": (
        "{path} 已损坏，无法读取（{why}）：请用 Word/Excel 或 WPS 打开，另存为 .docx/.xlsx 后导入"
        "那份副本；未导入任何内容",
        "{path} is damaged and cannot be read ({why}); open it in Word/Excel or WPS, save it again "
        "as .docx/.xlsx (另存为) and import that copy; nothing was imported"),
    "office_too_big": (
        "{path} 解压后超过 {limit} MB，远大于任何目标表：请拆分成较小的文件；未导入任何内容",
        "{path} unpacks to more than {limit} MB, far more than any target table; split it into "
        "smaller files; nothing was imported"),
    "office_other_zip": (
        "{path} 是 ZIP 压缩包，但既不是 Word .docx 也不是 Excel .xlsx（.odt/.ods？请打开后另存为 "
        ".docx 或 .xlsx）；未导入任何内容",
        "{path} is a ZIP archive but neither a Word .docx nor an Excel .xlsx (an .odt/.ods? open "
        "it and save as .docx or .xlsx); nothing was imported"),
    "docx_no_table": (
        "{path} 中没有项目支出绩效目标表：找到 {count} 个表格，但都没有“一级指标、二级指标、三级指标、"
        "指标值”表头行；未导入任何内容",
        "{path} holds no 项目支出绩效目标表: {count} table(s), none with the header row 一级指标, "
        "二级指标, 三级指标, 指标值; nothing was imported"),
    "xlsx_no_sheet": (
        "{path} 中没有含目标表各列的工作表（需要表头 {columns}；工作表：{sheets}）；未导入任何内容",
        "{path} has no sheet with the target-table columns (a header row naming {columns}; "
        "sheets: {sheets}); nothing was imported"),
    "xlsx_skipped": ("{path}：跳过了没有目标表各列的工作表 {sheets}",
                     "{path}: skipped sheet(s) without the target-table columns: {sheets}"),
}


_STRERROR_ZH = {
    errno.ENOENT: "没有这个文件或目录", errno.EACCES: "权限不够", errno.EPERM: "不允许的操作",
    errno.EISDIR: "是一个目录", errno.ENOTDIR: "不是目录", errno.ENOSPC: "设备上没有空间",
    errno.EROFS: "只读文件系统", errno.EEXIST: "文件已存在", errno.ELOOP: "符号链接层数过多",
    errno.ENAMETOOLONG: "文件名过长", errno.EIO: "输入/输出错误", errno.EDQUOT: "超出磁盘配额",
}


def os_detail(exc: OSError | int) -> Said:
    """What the operating system said (``strerror``) in both languages: the Chinese of the common
    errors, the system's own words otherwise (the C library speaks English here)."""
    code = exc if isinstance(exc, int) else exc.errno
    en = os.strerror(code) if isinstance(exc, int) else (exc.strerror or str(exc))
    return Said(en, _STRERROR_ZH.get(code, en))


def language() -> str:
    """The current run's language ('zh' or 'en'; see ``core.language``)."""
    return current()


def said(key: str, **fields: object) -> Said:
    """The message ``key`` in both languages with ``fields`` filled in (a field that is itself
    a ``Said`` is filled in the same language)."""
    zh, en = FAULTS[key]

    def fill(template: str, lang: str) -> str:
        return template.format(**{k: v.text(lang) if isinstance(v, Said) else v
                                  for k, v in fields.items()})
    return Said(fill(en, "en"), fill(zh, "zh"))


def say(key: str, **fields: object) -> str:
    """The message ``key`` in the current run's language with ``fields`` filled in."""
    return said(key, **fields).text(current())
