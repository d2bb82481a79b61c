"""The locked dependencies: what bin/setup installs is what pyproject.toml pins, hashed."""

import re
import tomllib
from pathlib import Path

import pytest

from tests.servers import ROOT

REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_in_pyproject(group: str) -> dict[str, str]:
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    pins: dict[str, str] = {}
    for item in groups[group]:
        if isinstance(item, dict):
            pins.update(pinned_in_pyproject(item["include-group"]))
            continue
        match = REQUIREMENT.match(item)
        assert match, f"{item!r} in pyproject.toml is not pinned with =="
        pins[normal(match.group(1))] = match.group(2)
    return pins


def locked(path: Path) -> dict[str, tuple[str, list[str], bool]]:
    """name -> (version, hashes, asked for by pyproject itself)."""
    entries: dict[str, tuple[str, list[str], bool]] = {}
    name = ""
    for line in path.read_text().splitlines():
        match = REQUIREMENT.match(line)
        if match:
            name = normal(match.group(1))
            entries[name] = (match.group(2), [], False)
        elif name and "--hash=sha256:" in line:
            entries[name][1].append(line.split("--hash=sha256:")[1].strip(" \\"))
        elif name and re.search(r"steunpunt \(pyproject\.toml:\w+\)", line):
            version, hashes, _direct = entries[name]
            entries[name] = (version, hashes, True)
    return entries


@pytest.mark.parametrize("group", ["runtime", "dev"])
def test_the_lock_holds_exactly_what_pyproject_pins(group):
    pins = pinned_in_pyproject(group)
    lock = locked(ROOT / "requirements" / f"{group}.txt")
    stale = {name: pins[name] for name in pins if lock.get(name, ("",))[0] != pins[name]}
    assert not stale, f"pyproject.toml pins {stale} differently from the lock: run bin/lock"
    direct = {name for name, (_v, _h, is_direct) in lock.items() if is_direct}
    assert direct == set(pins), "the lock was made from another pyproject.toml: run bin/lock"


@pytest.mark.parametrize("group", ["runtime", "dev"])
def test_every_locked_package_has_hashes(group):
    lock = locked(ROOT / "requirements" / f"{group}.txt")
    assert lock
    unhashed = [name for name, (_v, hashes, _d) in lock.items() if not hashes]
    assert not unhashed, f"no hashes for {unhashed}: pip --require-hashes would refuse them"


def test_setup_installs_from_the_lock_with_hashes_required():
    setup = (ROOT / "bin" / "setup").read_text()
    assert "--require-hashes" in setup
    assert "--group" not in setup  # unhashed: whatever the index serves today
    # Only what the lock names: pip resolving on its own took a release newer
    # than the lock for an extra (fonttools[woff]) and refused the install.
    assert "--no-deps" in setup
    assert "pip check" in setup


def test_the_image_library_the_attachments_use_is_declared():
    assert "pillow" in pinned_in_pyproject("runtime")
    assert "pikepdf" in pinned_in_pyproject("runtime")
