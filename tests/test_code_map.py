"""The layout holds: imports flow one way, no module imports one that imports it
back, no import hides inside a function, and the README's code map matches the tree."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "hiring"

# Each concern, lowest first. A module may import its own concern and any lower one:
# the models know nothing of services, the services nothing of the API, pages or admin.
LAYERS = [
    # The event vocabulary and the public-address rule import nothing of ours.
    ("hiring.webhooks.events", "hiring.webhooks.addresses", "hiring.converters"),
    ("hiring.validators",),
    ("hiring.models",),
    ("hiring.access", "hiring.selectors", "hiring.intake.rules", "hiring.audit", "hiring.briefs"),
    (
        "hiring.webhooks.payloads",
        "hiring.webhooks.outbox",
        "hiring.webhooks.delivery",
        "hiring.webhooks.worker",
        "hiring.comparison",
    ),
    ("hiring.services",),
    ("hiring.intake.services",),
    (
        "hiring.api",
        "hiring.pages",
        "hiring.admin",
        "hiring.management",
        "hiring.background",
        "hiring.templatetags",
        "hiring.apps",
    ),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
    return {module_name(path): path for path in APP.rglob("*.py") if "migrations" not in path.parts}


MODULES = app_modules()


def imported(name: str, path: Path) -> set[str]:
    """The app modules this module imports (``from hiring import x`` names module x)."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {module for module in found if module in MODULES}


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


# Packages whose __init__ holds only a docstring: they import nothing.
NAMESPACES = {"hiring", "hiring.webhooks", "hiring.intake", "hiring.briefs"}


def layer_of(module: str) -> int:
    if module in NAMESPACES:
        return -1
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no layer of the code map")


def test_every_module_belongs_to_a_layer():
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_flow_one_way(module):
    higher = sorted(
        target
        for target in GRAPH[module]
        if target != "hiring" and layer_of(target) > layer_of(module)
    )
    assert not higher, f"{module} imports {higher}, which sit above it"


def test_no_module_imports_one_that_imports_it_back():
    cycles = []
    state: dict[str, str] = {}

    def visit(module, trail):
        state[module] = "open"
        for target in GRAPH[module]:
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_import_hides_inside_a_function():
    hidden = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        hidden.append(f"{name}.{node.name}")
    # The one exception Django requires: the app's ready(), once models can load.
    assert hidden == ["hiring.apps.ready"]


def code_map_paths() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Code map", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`(hiring/[\w/.]*)`", section))


def test_the_readme_code_map_names_every_part_of_the_app_and_nothing_else():
    listed = code_map_paths()
    parts = {
        f"hiring/{path.name}/" if path.is_dir() else f"hiring/{path.name}"
        for path in APP.iterdir()
        if path.name not in ("__init__.py", "__pycache__", "migrations")
    }
    assert {path for path in listed if path.rstrip("/").count("/") == 1} == parts
    missing = sorted(path for path in listed if not (ROOT / path).exists())
    assert missing == [], f"the code map names what the tree does not have: {missing}"
