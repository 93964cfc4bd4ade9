"""The engine's import graph: no cycles, no hidden imports, the core free of presentation.

Read from the source with ast, so an import that only runs inside a function
counts too (that is how a cycle hides). An import inside a function is allowed
only for an optional dependency, or for import cost, each named below.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Imports allowed inside a function: optional dependencies, loaded on first use (and
# resource, which exists on Unix only).
OPTIONAL = {"graphviz", "hypothesis", "numpy", "torch", "jax", "sympy", "sklearn", "IPython",
            "PIL", "resource", "playwright"}
# ... and chainrule modules loaded on first use for import cost: `import autograd` stays
# light, and draw (graphviz) and autograd.testing (hypothesis) load when used.
LAZY = {("autograd.cli", "autograd.diagram"),
        # the exercise checker loads its hypothesis and numpy tools when it checks
        ("nn.exercises.running", "autograd.testing.strategies"),
        ("nn.exercises", "autograd.testing.layers"),
        # the live view's notebook widget loads anywidget only when a notebook asks
        ("nn.live", "nn.live.widget"),
        # ... and its screenshot loads playwright only when a picture is asked for
        ("nn.live", "nn.live.screenshot")}
# The engine's core: none of it may import the presentation modules.
CORE = {"autograd.node", "autograd.ops", "autograd.graph", "autograd.walk", "autograd.mode",
        "autograd.value", "autograd.nary", "autograd.backprop", "autograd.anomaly",
        "autograd.naming", "autograd.recording", "autograd.symbolic", "autograd.compile"}
PRESENTATION = {"autograd.explain", "autograd.diagram", "autograd.animate", "autograd.cli",
                "autograd.language", "autograd.hangul"}


def _modules(package: str) -> dict[str, Path]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _targets(node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> list[str]:
    """The chainrule modules an import statement loads (``from autograd import ops`` is
    autograd.ops; ``from autograd import Value`` is the package itself)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.level:
        return []
    else:
        names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules
                 else node.module for a in node.names]
    return [name for name in names if name in modules]


def _imports(modules: dict[str, Path]) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Each module's chainrule imports (any depth), and the (module, import) pairs found
    inside functions."""
    edges: dict[str, set[str]] = {name: set() for name in modules}
    inner: list[tuple[str, str]] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                loaded = _targets(node, modules)
                edges[name].update(loaded)
                if id(node) not in top:
                    what = loaded or [(a.name if isinstance(node, ast.Import) else
                                       node.module or "").split(".")[0] for a in node.names]
                    inner += [(name, target) for target in what]
    return edges, inner


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph, as a list of modules, or None (depth-first, with a stack)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if start in state:
            continue
        path, stack = [], [(start, iter(sorted(edges[start])))]
        state[start] = 1
        path.append(start)
        while stack:
            node, todo = stack[-1]
            nxt = next(todo, None)
            if nxt is None:
                stack.pop()
                state[path.pop()] = 2
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(edges[nxt]))))
    return None


def _everything() -> dict[str, Path]:
    return {**_modules("autograd"), **_modules("nn")}


def test_there_is_no_import_cycle_the_package_inits_included():
    edges, _ = _imports(_everything())
    # A submodule that imports a name from its own package (from autograd import Value)
    # runs the package's __init__ first: that is an edge like any other.
    assert _cycle(edges) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a"}}) is None


def test_imports_inside_functions_are_only_optional_dependencies_or_named_lazy_ones():
    _, inner = _imports(_everything())
    hidden = [(m, t) for m, t in inner if t.split(".")[0] not in OPTIONAL and (m, t) not in LAZY]
    assert hidden == []


def test_the_core_imports_no_presentation():
    edges, _ = _imports(_modules("autograd"))
    assert {(m, t) for m in CORE for t in edges[m] if t in PRESENTATION} == set()


def test_only_the_node_itself_writes_the_node_record():
    """parents, local_derivatives, call and index are plain slots for speed (see Value):
    the ops in autograd.value write them once, when they make a node, and no other module
    of chainrule assigns them, nor reads a node through a private attribute. The one
    other maker of nodes is autograd.foreign, which fills its own ForeignNode's record
    from another engine's graph."""
    makers = {"autograd.value", "autograd.foreign"}
    record = {"parents", "local_derivatives", "call", "index"}
    private = {"_parents", "_local", "_op", "_index"}  # what the record's slots were called
    offenders = []
    for name, path in _everything().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                for part in ast.walk(target):
                    if (isinstance(part, ast.Attribute) and part.attr in record
                            and name not in makers):
                        offenders.append(f"{name}:{node.lineno} writes .{part.attr}")
            if isinstance(node, ast.Attribute) and node.attr in private:
                offenders.append(f"{name}:{node.lineno} reads .{node.attr}")
    assert offenders == []


def test_each_module_imports_only_those_above_it_in_the_readme_s_layout():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout")[1].split("```")[1]
    order, package = [], None
    for line in layout.split("\n"):
        if re.fullmatch(r"(\w+)/\s*", line):
            package = line.strip().rstrip("/")
        elif (m := re.match(r"\s+(\w+)(?:\.py|/)\s", line)) and package:
            order.append(f"{package}.{m.group(1)}")
    place = {name: i for i, name in enumerate(order)}
    edges, _ = _imports(_everything())

    def listed(module: str) -> str | None:  # autograd.testing.exact is under autograd.testing
        while module and module not in place:
            module = module.rpartition(".")[0]
        return module or None

    upward = [(m, t) for m in edges for t in edges[m]
              if listed(m) and listed(t) and listed(m) != listed(t)
              and place[listed(t)] >= place[listed(m)]]
    assert upward == []
