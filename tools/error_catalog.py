"""Every known error's English template, found in the source, for Qt Linguist.

Known errors carry an English template (their code) and parameters; the window and the command
line translate the template in the "errors" context. lupdate only reads the ui, so this finds the
templates where they are written, statically:
- the template argument of a call to any class that derives from DomainError or DatabaseProblem
  (the second argument for ValidationError and its subclasses, after the field);
- the argument of every `words(...)` call (a template kept in a constant).
A template must be a literal (or literals and constants joined with +): an f-string would bake
values into the code and could never be translated, so it is reported as a problem.

    python tools/error_catalog.py            # print the templates
    python tools/error_catalog.py --lupdate F  # write F, a file lupdate reads (QT_TRANSLATE_NOOP)
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("frontdesk/domain", "frontdesk/services", "frontdesk/devices", "db")
ROOTS = {"DomainError", "DatabaseProblem"}
FIELD_FIRST = {"ValidationError"}
CONTEXT = "errors"


@dataclass(frozen=True)
class Found:
    templates: tuple[str, ...]
    problems: tuple[str, ...]


def _files(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder in SOURCES:
        files += sorted(p for p in (root / folder).rglob("*.py") if "migrations" not in p.parts)
    return files


def _class_closure(trees: dict[Path, ast.Module]) -> tuple[set[str], set[str]]:
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {b.id for b in node.bases if isinstance(b, ast.Name)}
                names |= {b.attr for b in node.bases if isinstance(b, ast.Attribute)}
                bases.setdefault(node.name, set()).update(names)

    def closure(roots: set[str]) -> set[str]:
        found = set(roots)
        changed = True
        while changed:
            changed = False
            for name, parents in bases.items():
                if name not in found and parents & found:
                    found.add(name)
                    changed = True
        return found

    return closure(ROOTS), closure(FIELD_FIRST)


def _constants(tree: ast.Module) -> dict[str, ast.expr]:
    out: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                out[target.id] = node.value
    return out


def _evaluate(node: ast.expr, constants: dict[str, ast.expr], depth: int = 0) -> str | None:
    if depth > 5:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _evaluate(node.left, constants, depth + 1)
        right = _evaluate(node.right, constants, depth + 1)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Name) and node.id in constants:
        return _evaluate(constants[node.id], constants, depth + 1)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "words"
        and node.args
    ):
        return _evaluate(node.args[0], constants, depth + 1)
    return None


def find(root: Path = ROOT) -> Found:
    """The templates in the source under `root`, and anything that cannot be a template."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _files(root)}
    errors, field_first = _class_closure(trees)
    templates: set[str] = set()
    problems: list[str] = []
    for path, tree in trees.items():
        constants = _constants(tree)
        where = path.relative_to(root)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "words":
                index = 0
            elif name in errors:
                index = 1 if name in field_first else 0
            else:
                continue
            if len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.JoinedStr):
                problems.append(f"{where}:{node.lineno}: an f-string template in {name}(...)")
                continue
            text = _evaluate(arg, constants)
            if text is not None:
                templates.add(text)
            elif name == "words":
                problems.append(f"{where}:{node.lineno}: words() needs literal text")
    return Found(tuple(sorted(templates)), tuple(problems))


def lupdate_source(templates: tuple[str, ...]) -> str:
    """A Python file whose only content is the templates, in the form lupdate reads."""
    lines = ["from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    lines += [f"QT_TRANSLATE_NOOP({CONTEXT!r}, {text!r})" for text in templates]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lupdate", type=Path, help="write a file for lupdate to read")
    args = parser.parse_args(argv)
    found = find()
    for problem in found.problems:
        print(problem, file=sys.stderr)
    if args.lupdate:
        args.lupdate.write_text(lupdate_source(found.templates), encoding="utf-8")
    else:
        print("\n".join(found.templates))
    return 1 if found.problems else 0


if __name__ == "__main__":
    sys.exit(main())
