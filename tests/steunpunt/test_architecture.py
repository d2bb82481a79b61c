"""Imports go one way (docs/architecture.md): signaleren → steunen → informeren → steunpunt.

Each package may import itself and the packages to its right, never one to its
left. The test reads every module's imports (also those inside functions and
under TYPE_CHECKING) from the source, without importing anything.
"""

import ast

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
    # The follow-up question's quarter (steunen/forms.py) borrows signaleren's
    # calendar helper.
    ("steunen", "signaleren.periods.quarter_of"),
    # Issue 25, item 3: the project package should import no app.
    # steunpunt/apps.py fills informeren's reference data after migrate.
    ("steunpunt", "informeren.reference.ensure_reference_data"),
    # steunpunt/views.py hands a CSRF failure on the question form to steunen.
    ("steunpunt", "steunen.views.ask_after_csrf_failure"),
}

# Whole modules that may import any app, for the same reason.
KNOWN_DEBTOR_MODULES = {
    # Loads every app's demo data (issue 25, item 3: each app its own command).
    "steunpunt/management/commands/load_demo.py",
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
            if str(path.relative_to(ROOT)) in KNOWN_DEBTOR_MODULES:
                continue
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
    for module in ("steunpunt/apps.py", "steunpunt/views.py", "load_demo", "steunen/forms.py"):
        assert module in note
