#!/usr/bin/env python3
"""Flag test functions that assert nothing (CONVENTIONS section 7: every test asserts).

Usage: check_asserts.py PATH [PATH...]   (folders: their test_*.py and *_test.py)

A ``test*`` function or method (what unittest and pytest collect) passes when its
body, nested blocks included:
- calls something named ``assert*``, ``fail*``, ``_assert*``, ``start_tour`` or
  ``raises`` (``self.assertEqual``, ``with self.assertRaises(...)``, ``pytest.raises``,
  ``mock.assert_called_once_with``, ``self.fail``, ``pytest.fail``...);
- or uses a bare ``assert`` statement (pytest style).
Paths that do not exist are skipped with a note. Exit 1 when a test asserts nothing.
"""

import ast
import sys
from pathlib import Path

CALL_PREFIXES = ("assert", "fail", "_assert")
CALL_NAMES = {"start_tour", "raises"}


def _call_name(node):
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def asserts_something(func):
    for node in ast.walk(func):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name.startswith(CALL_PREFIXES) or name in CALL_NAMES:
                return True
    return False


def test_functions(tree):
    """Module-level test functions and methods of module-level classes."""
    funcs = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, funcs) and node.name.startswith("test"):
            yield node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, funcs) and item.name.startswith("test"):
                    yield item


def python_files(path):
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*.py")
        if p.name.startswith("test_") or p.name.endswith("_test.py")
    )


def main(argv):
    paths = argv or ["tests", "tests_offline"]
    checked, offenders, errors = 0, [], 0
    for arg in paths:
        path = Path(arg)
        if not path.exists():
            print(f"check_asserts: {arg} does not exist, skipped")
            continue
        for file in python_files(path):
            try:
                tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
            except SyntaxError as exc:
                print(f"{file}:{exc.lineno}: syntax error: {exc.msg}")
                errors += 1
                continue
            for func in test_functions(tree):
                checked += 1
                if not asserts_something(func):
                    offenders.append(
                        f"{file}:{func.lineno}: {func.name} asserts nothing"
                    )
    for line in offenders:
        print(line)
    print(
        f"check_asserts: {checked} test functions checked, "
        f"{len(offenders)} without an assertion, {errors} unreadable files"
    )
    return 1 if offenders or errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
