"""Qt Linguist translations of the window and the command line.

Usage: python tools/translations.py COMMAND
  update         collect tr()/translate() strings of frontdesk/ui/**/*.py and frontdesk/cli.py
                 into resources/translations/frontdesk_<lang>.ts (keeps translations, drops
                 strings no longer in the sources)
  build [DIR]    compile the .ts into .qm (default: beside the .ts, where the program looks)
  apply FILE.tsv fill the .ts from rows  context<TAB>source<TAB>zh_CN<TAB>ru[<TAB>comment]
                 (plural forms separated by ' | '; \\n, \\t and \\\\ are escapes; an empty
                 cell leaves that language as it is; '#' lines are comments)
  check          list every string of the sources without a finished translation; exit 1 if any
  pseudo [DIR]   build frontdesk_pseudo.qm: every string ~40% longer in accented letters,
                 markers (%1, %n, {name}, &mnemonics, <tags>) kept, for finding clipped text
"""

from __future__ import annotations

import ast
import math
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "translations"
#: Languages with a committed .ts and how many plural forms each has (Qt's rules).
PLURAL_FORMS: dict[str, int] = {"zh_CN": 1, "ru": 3}
LANGUAGES = tuple(PLURAL_FORMS)
PLURAL_SEPARATOR = " | "


class TranslationError(Exception):
    """A tool, a file or a row that cannot be used; the message says which."""


def ts_path(language: str, folder: Path = TS_DIR) -> Path:
    return folder / f"frontdesk_{language}.ts"


def qm_path(language: str, folder: Path = TS_DIR) -> Path:
    return folder / f"frontdesk_{language}.qm"


def source_files(root: Path = ROOT) -> list[Path]:
    """Every Python file whose strings are translated through Qt."""
    return [*sorted((root / "frontdesk" / "ui").rglob("*.py")), root / "frontdesk" / "cli.py"]


def settings_help(root: Path = ROOT) -> list[str]:
    """The help line of every setting (`_setting(default, "help")` in frontdesk/settings.py),
    which `frontdesk settings` prints in the shop's language under the context "settings"."""
    path = root / "frontdesk" / "settings.py"
    if not path.is_file():
        return []
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "_setting"
            and len(node.args) == 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            found.append(node.args[1].value)
    return found


@contextmanager
def lupdate_sources(root: Path = ROOT) -> Iterator[list[Path]]:
    """The files lupdate reads: the window's and the command line's code, plus the settings'
    help lines and every known error's template (tools/error_catalog.py) written out as
    QT_TRANSLATE_NOOP calls (settings.py, the domain and db stay free of Qt markers)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tools.error_catalog import find, lupdate_source

    with tempfile.TemporaryDirectory(prefix="frontdesk-lupdate-") as scratch:
        extra = Path(scratch) / "settings_help.py"
        extra.write_text(
            "".join(f'QT_TRANSLATE_NOOP("settings", {text!r})\n' for text in settings_help(root)),
            encoding="utf-8",
        )
        errors = Path(scratch) / "error_templates.py"
        errors.write_text(lupdate_source(find(root).templates), encoding="utf-8")
        yield [*source_files(root), extra, errors]


def qt_tool(name: str) -> Path:
    """`lupdate` / `lrelease`: the binary inside PySide6 (no Python start-up), else a wrapper."""
    try:
        import PySide6

        binary = Path(PySide6.__file__).parent / name
        if binary.is_file():
            return binary
    except ImportError:
        pass
    for candidate in (
        Path(sys.executable).parent / f"pyside6-{name}",
        shutil.which(f"pyside6-{name}"),
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise TranslationError(f"pyside6-{name} was not found: install PySide6-Essentials.")


def _run(tool: str, *args: str | Path) -> None:
    done = subprocess.run(
        [str(qt_tool(tool)), *map(str, args)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise TranslationError(f"{tool} failed:\n{done.stdout}{done.stderr}")


# --- update and build -------------------------------------------------------------------


def update(folder: Path = TS_DIR, root: Path = ROOT) -> None:
    """Bring every .ts in line with the sources. Locations are left out on purpose: line
    numbers would change the .ts on every edit and collide between branches."""
    folder.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        path = ts_path(language, folder)
        before = {m.key: m for m, _ in messages(read_ts(path))} if path.exists() else {}
        with lupdate_sources(root) as sources:
            _run(
                "lupdate",
                *sources,
                "-ts",
                path,
                "-target-language",
                language,
                "-no-obsolete",
                "-locations",
                "none",
                "-silent",
            )
        _keep_plurals(path, language, before)


def _keep_plurals(path: Path, language: str, before: dict[tuple[str, str, str], Message]) -> None:
    """pyside6-lupdate (6.10) makes `QCoreApplication.translate(ctx, "%n …", None, n)` a plain
    message unless n is a number literal, and then throws the plural forms away. A source
    with %n is a plural here, whatever lupdate decided: its forms are put back."""
    tree = read_ts(path)
    changed = False
    for message, element in messages(tree):
        if "%n" not in message.source or message.numerus:
            continue
        element.set("numerus", "yes")
        old = before.get(message.key)
        if old is not None and old.numerus and old.finished:
            set_translation(element, old.forms)
        else:
            set_translation(element, [""] * PLURAL_FORMS[language])
            translation = element.find("translation")
            assert translation is not None
            translation.set("type", "unfinished")
        changed = True
    if changed:
        write_ts(tree, path)


def build(out: Path = TS_DIR, folder: Path = TS_DIR) -> list[Path]:
    """Compile each .ts into a .qm in `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for language in LANGUAGES:
        target = qm_path(language, out)
        _run("lrelease", ts_path(language, folder), "-qm", target, "-silent")
        written.append(target)
    return written


# --- reading and writing .ts -------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    finished: bool
    forms: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


def read_ts(path: Path) -> ET.ElementTree[ET.Element]:
    try:
        return ET.parse(path)
    except (OSError, ET.ParseError) as exc:
        raise TranslationError(f"{path} cannot be read: {exc}") from None


def messages(tree: ET.ElementTree[ET.Element]) -> Iterator[tuple[Message, ET.Element]]:
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            numerus = message.get("numerus") == "yes"
            if translation is None:
                forms: tuple[str, ...] = ()
                kind = "unfinished"
            else:
                kind = translation.get("type", "")
                if numerus:
                    forms = tuple(f.text or "" for f in translation.iter("numerusform"))
                else:
                    forms = (translation.text or "",)
            yield (
                Message(
                    context=name,
                    source=message.findtext("source") or "",
                    comment=message.findtext("comment") or "",
                    numerus=numerus,
                    finished=kind == "",
                    forms=forms,
                ),
                message,
            )


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;")
    return text if attribute else text.replace("'", "&apos;")


def _write_element(element: ET.Element, depth: int, out: list[str]) -> None:
    pad = "    " * depth
    attrs = "".join(f' {k}="{_escape(v, True)}"' for k, v in element.attrib.items())
    children = list(element)
    if children:
        out.append(f"{pad}<{element.tag}{attrs}>")
        for child in children:
            _write_element(child, depth + 1, out)
        out.append(f"{pad}</{element.tag}>")
    elif element.tag == "location":
        out.append(f"{pad}<{element.tag}{attrs}/>")
    else:
        out.append(f"{pad}<{element.tag}{attrs}>{_escape(element.text or '')}</{element.tag}>")


def write_ts(tree: ET.ElementTree[ET.Element], path: Path) -> None:
    """Write a .ts laid out as lupdate writes it, so `update` after `apply` changes nothing."""
    root = tree.getroot()
    attrs = "".join(f' {k}="{_escape(v, True)}"' for k, v in root.attrib.items())
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", f"<TS{attrs}>"]
    for context in root:
        _write_element(context, 0, lines)
    lines.append("</TS>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- apply --------------------------------------------------------------------------------


def _unescape(cell: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), cell)


@dataclass(frozen=True)
class Row:
    line: int
    context: str
    source: str
    comment: str
    translations: dict[str, str]


def read_tsv(path: Path) -> list[Row]:
    rows = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if number == 1 and cells[:2] == ["context", "source"]:
            continue  # a header row
        if not 4 <= len(cells) <= 5:
            raise TranslationError(
                f"{path}:{number}: expected context, source, zh_CN, ru[, comment] "
                f"separated by tabs, found {len(cells)} cells"
            )
        context, source, zh, ru = (_unescape(cell) for cell in cells[:4])
        comment = _unescape(cells[4]) if len(cells) == 5 else ""
        rows.append(Row(number, context, source, comment, {"zh_CN": zh, "ru": ru}))
    return rows


def _context(root: ET.Element, name: str) -> ET.Element:
    for context in root.iter("context"):
        if context.findtext("name") == name:
            return context
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = name
    return context


def _message(context: ET.Element, row: Row) -> ET.Element:
    for message in context.iter("message"):
        if (
            message.findtext("source") == row.source
            and (message.findtext("comment") or "") == row.comment
        ):
            return message
    message = ET.SubElement(context, "message")
    if "%n" in row.source:
        message.set("numerus", "yes")
    ET.SubElement(message, "source").text = row.source
    if row.comment:
        ET.SubElement(message, "comment").text = row.comment
    ET.SubElement(message, "translation").set("type", "unfinished")
    return message


def set_translation(message: ET.Element, forms: Sequence[str]) -> None:
    translation = message.find("translation")
    if translation is None:
        translation = ET.SubElement(message, "translation")
    translation.attrib.pop("type", None)
    for child in list(translation):
        translation.remove(child)
    if message.get("numerus") == "yes":
        translation.text = None
        for form in forms:
            ET.SubElement(translation, "numerusform").text = form
    else:
        translation.text = forms[0]


def apply(tsv: Path, folder: Path = TS_DIR) -> int:
    """Fill the .ts files from a translators' TSV; returns how many translations were set.

    Every row is checked before anything is written: a wrong number of plural forms or a lost
    marker (%1, {name}, %n) stops the whole file with the line that is wrong."""
    rows = read_tsv(tsv)
    count = 0
    filled: list[tuple[ET.ElementTree[ET.Element], Path]] = []
    for language in LANGUAGES:
        path = ts_path(language, folder)
        tree = (
            read_ts(path)
            if path.exists()
            else ET.ElementTree(ET.Element("TS", {"version": "2.1", "language": language}))
        )
        for row in rows:
            text = row.translations[language]
            if not text:
                continue
            message = _message(_context(tree.getroot(), row.context), row)
            if "%n" in row.source:  # a plural, whatever lupdate made of it (see update)
                message.set("numerus", "yes")
            numerus = message.get("numerus") == "yes"
            forms = text.split(PLURAL_SEPARATOR) if numerus else [text]
            problems = problems_of(
                Message(row.context, row.source, row.comment, numerus, True, tuple(forms)),
                language,
            )
            if problems:
                raise TranslationError(f"{tsv}:{row.line} ({language}): {'; '.join(problems)}")
            set_translation(message, forms)
            count += 1
        filled.append((tree, path))
    for tree, path in filled:  # only once every row of every language is known to be good
        write_ts(tree, path)
    return count


# --- check --------------------------------------------------------------------------------

_MARKERS = re.compile(r"%L?\d+|%n|\{[^{}]*\}")
_MNEMONIC = re.compile(r"(?<!&)&(?=\w)")


def markers(text: str) -> list[str]:
    return sorted(_MARKERS.findall(text))


def problems_of(message: Message, language: str) -> list[str]:
    """What is wrong with one translation, in words; empty when it is fine."""
    problems = []
    if not message.finished or not message.forms or not all(f.strip() for f in message.forms):
        return ["not translated"]
    if message.numerus and len(message.forms) != PLURAL_FORMS[language]:
        problems.append(
            f"{len(message.forms)} plural form(s) given, {language} needs "
            f"{PLURAL_FORMS[language]} separated by '{PLURAL_SEPARATOR}'"
        )
    expected = sorted(set(markers(message.source)))
    for form in message.forms:
        found = sorted(set(markers(form)))
        # A plural form may drop %n ("one" said in words) but never gain or lose another marker.
        if [m for m in found if m != "%n"] != [m for m in expected if m != "%n"] or (
            "%n" in found and "%n" not in expected
        ):
            problems.append(f"markers {expected} in the source, {found} in “{form}”")
            break
    if _MNEMONIC.search(message.source) and not all(_MNEMONIC.search(f) for f in message.forms):
        problems.append("the source has an &shortcut, the translation none")
    return problems


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _owners(node: ast.AST, owner: str | None = None) -> dict[ast.AST, str]:
    """Each node inside a class -> the name of the innermost class it is written in."""
    found: dict[ast.AST, str] = {}
    for child in ast.iter_child_nodes(node):
        inner = child.name if isinstance(child, ast.ClassDef) else owner
        if inner is not None:
            found[child] = inner
        found.update(_owners(child, inner))
    return found


def calls_in_code(root: Path = ROOT) -> Iterator[tuple[str, tuple[str, str, str] | None]]:
    """(where, (context, source, comment)) of every tr()/translate() call with literal text,
    as Python reads it; the key is None for an f-string, which can never be translated."""
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        classes = _owners(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            where = f"{path.relative_to(root)}:{node.lineno}"
            if name == "tr" and node.args and node.args[0] is not None:
                context, text, rest = classes.get(node), node.args[0], node.args[1:]
            elif name == "translate" and len(node.args) >= 2:
                context, text, rest = _literal(node.args[0]), node.args[1], node.args[2:]
            else:
                continue
            if isinstance(text, ast.JoinedStr):
                yield where, None
            elif context is not None and _literal(text) is not None:
                comment = _literal(rest[0]) if rest else None
                yield where, (context, str(_literal(text)), comment or "")


def check(folder: Path = TS_DIR, root: Path = ROOT) -> list[str]:
    """Every problem of every language, against the sources as they are now (the committed .ts
    are updated in a scratch copy, so a string added without `update` counts as missing)."""
    found = []
    with tempfile.TemporaryDirectory(prefix="frontdesk-ts-") as scratch:
        for language in LANGUAGES:
            if ts_path(language, folder).exists():
                shutil.copy(ts_path(language, folder), ts_path(language, Path(scratch)))
        update(Path(scratch), root)
        seen = {m.key for m, _ in messages(read_ts(ts_path(LANGUAGES[0], Path(scratch))))}
        for where, key in calls_in_code(root):
            if key is None:
                found.append(
                    f"{where}: an f-string is never translated; translate the text with "
                    "{name} markers, then .format() it"
                )
            elif key not in seen:
                found.append(
                    f"{where}: lupdate cannot read this call (“{key[1]}”): give the text, "
                    "comment and count as plain arguments (a name or a number for the count, "
                    "no keywords, no expressions)"
                )
        for language in LANGUAGES:
            for message, _ in messages(read_ts(ts_path(language, Path(scratch)))):
                for problem in problems_of(message, language):
                    where = f"{message.context}: “{message.source}”"
                    if message.comment:
                        where += f" ({message.comment})"
                    found.append(f"{language} {where}: {problem}")
    return found


# --- pseudo-locale ------------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ȧƀçđḗƒğħīĵķŀḿñǿƥɋřşŧūṽŵẋýžȦƁÇĐḖƑĞĦĪĴĶĿḾÑǾƤɊŘŞŦŪṼŴẊÝŽ",
)
_KEEP = re.compile(r"%L?\d+|%n|\{[^{}]*\}|&&|&\w+;|&.|<[^<>]*>")
_PADDING = "ẄŵẅŴ"


def pseudo_text(text: str) -> str:
    """'Save &all %1' -> '[Şȧṽḗ &ȧŀŀ %1 ẄŵẅŴ]': accented, ~40% longer, markers untouched."""
    parts = []
    position = 0
    for keep in _KEEP.finditer(text):
        plain = text[position : keep.start()]
        parts += [plain.translate(_ACCENTED), keep.group()]
        position = keep.end()
    plain = text[position:]
    parts.append(plain.translate(_ACCENTED))
    extra = max(1, math.ceil(len(text) * 0.4) - 2)  # the brackets count towards the 40 %
    padding = (_PADDING * (extra // len(_PADDING) + 1))[:extra]
    return f"[{''.join(parts)} {padding}]"


def pseudo(out: Path = TS_DIR, root: Path = ROOT) -> Path:
    """Build frontdesk_pseudo.qm from the sources' strings."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="frontdesk-pseudo-") as scratch:
        ts = Path(scratch) / "frontdesk_pseudo.ts"
        with lupdate_sources(root) as sources:
            _run("lupdate", *sources, "-ts", ts, "-target-language", "en", "-silent")
        tree = read_ts(ts)
        for message, element in messages(tree):
            text = pseudo_text(message.source)
            set_translation(element, [text, text] if message.numerus else [text])
        write_ts(tree, ts)
        target = qm_path("pseudo", out)
        _run("lrelease", ts, "-qm", target, "-silent")
    return target


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("update", "build", "apply", "check", "pseudo"):
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = args[0], args[1:]
    try:
        if command == "update":
            update()
            print(f"Updated {', '.join(ts_path(lang).name for lang in LANGUAGES)}")
        elif command == "build":
            for path in build(Path(rest[0]) if rest else TS_DIR):
                print(f"Built {path}")
        elif command == "apply":
            if len(rest) != 1:
                print("apply needs one TSV file", file=sys.stderr)
                return 2
            print(f"Applied {apply(Path(rest[0]))} translations from {rest[0]}")
        elif command == "pseudo":
            print(f"Built {pseudo(Path(rest[0]) if rest else TS_DIR)}")
        else:
            problems = check()
            for problem in problems:
                print(problem)
            if problems:
                print(f"{len(problems)} translation problem(s)", file=sys.stderr)
                return 1
            print("Every string is translated.")
    except TranslationError as exc:
        print(f"translations: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
