"""Imports go one way (docs/architecture.md): signaleren → steunen → informeren → steunpunt.

Each package may import itself and the packages to its right, never one to its
left. The test reads every module's imports (also those inside functions and
under TYPE_CHECKING) from the source, without importing anything.
"""

import ast
import re

from tests.servers import ROOT

# From the top (may import everything below) to the bottom (imports no app).
LAYERS = ("signaleren", "steunen", "informeren", "steunpunt")
DIRECTION = " → ".join(LAYERS)

# Imports against the direction that the code has today, as
# (importing package, imported name). Each is a debt to pay off, not a
# permission: remove a line when the import goes, never add one; a new import
# against the direction belongs in the package it imports instead.
KNOWN_DEBTS = {
    # The holidays (Feestdag) are a steunen model that informeren's editors
    # keep (informeren/actions.py, redactie.py, forms.py); they belong below both.
    ("informeren", "steunen.models.Feestdag"),
    # The quarters of the evaluation remarks (steunen/staff_forms.py,
    # RemarkPeriodForm) borrow signaleren's calendar helper.
    ("steunen", "signaleren.periods.quarter_of"),
}


def imported_names(source: str) -> list[str]:
    """Every absolute name a module imports: ``from a.b import c`` gives ``a.b.c``."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def against_the_direction(package: str, source: str) -> set[str]:
    """The names this module of ``package`` imports from a package above it."""
    rank = LAYERS.index(package)
    return {
        name
        for name in imported_names(source)
        if name.split(".")[0] in LAYERS and LAYERS.index(name.split(".")[0]) < rank
    }


def violations() -> dict[tuple[str, str], list[str]]:
    """(package, imported name) -> the modules that import it against the direction."""
    found: dict[tuple[str, str], list[str]] = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in against_the_direction(package, path.read_text()):
                found.setdefault((package, name), []).append(str(path.relative_to(ROOT)))
    return found


def test_no_package_imports_one_above_it_beyond_the_known_debts():
    new = {key: where for key, where in violations().items() if key not in KNOWN_DEBTS}
    assert not new, f"imports against {DIRECTION} (docs/architecture.md): " + "; ".join(
        f"{', '.join(where)} imports {name}" for (_p, name), where in new.items()
    )


def test_the_check_catches_an_import_against_the_direction():
    source = "from steunen.models import Case\n\ndef f():\n    import signaleren.figures\n"
    assert against_the_direction("informeren", source) == {
        "steunen.models.Case",
        "signaleren.figures",
    }
    assert against_the_direction("signaleren", source) == set()


def test_every_app_module_is_read():
    # Guards against a check that passes because it reads nothing.
    names = set()
    for path in (ROOT / "steunen").rglob("*.py"):
        names.update(imported_names(path.read_text()))
    assert "informeren.models.Thema" in names
    assert "steunpunt.roles.Role" in names


def test_the_architecture_note_states_the_direction_the_test_checks():
    note = (ROOT / "docs" / "architecture.md").read_text()
    assert DIRECTION in note
    # The note names the debts too, by the module that holds them.
    for module in ("informeren/actions.py", "steunen/staff_forms.py"):
        assert module in note


# Templates follow the same direction: templates/<package>/ belongs to that
# package (templates/ itself to the project package), and a template or a
# module names only templates of its own package or one below it. Templates
# that two apps share live under templates/steunpunt/.
PACKAGE = "(?:" + "|".join(LAYERS) + ")"
TEMPLATE_NAME = re.compile(r"""["'](""" + PACKAGE + r"""/[\w/.-]+\.html)["']""")
TEMPLATE_TAG = re.compile(r"""{%\s*(?:include|extends)\s+["'](""" + PACKAGE + r"""/[^"']+)["']""")


def templates_against_the_direction() -> dict[str, set[str]]:
    """Module or template -> the templates it names from a package above its own."""
    found: dict[str, set[str]] = {}

    def check(package: str, where: str, names: list[str]) -> None:
        rank = LAYERS.index(package)
        above = {name for name in names if LAYERS.index(name.split("/")[0]) < rank}
        if above:
            found[where] = above

    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            check(package, str(path.relative_to(ROOT)), TEMPLATE_NAME.findall(path.read_text()))
    for path in sorted((ROOT / "templates").rglob("*.html")):
        parts = path.relative_to(ROOT / "templates").parts
        package = parts[0] if len(parts) > 1 and parts[0] in LAYERS else "steunpunt"
        check(package, str(path.relative_to(ROOT)), TEMPLATE_TAG.findall(path.read_text()))
    return found


def test_no_package_uses_a_template_of_one_above_it():
    found = templates_against_the_direction()
    assert not found, f"templates against {DIRECTION} (docs/architecture.md): " + "; ".join(
        f"{where} names {', '.join(sorted(names))}" for where, names in found.items()
    )


def test_the_template_check_reads_python_and_templates():
    # Guards against a check that passes because it matches nothing.
    assert TEMPLATE_NAME.findall('render(request, "steunen/ask.html")') == ["steunen/ask.html"]
    assert TEMPLATE_TAG.findall('{% include "informeren/_x.html" with a=1 %}') == [
        "informeren/_x.html"
    ]
