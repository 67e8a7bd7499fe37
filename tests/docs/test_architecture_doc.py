"""docs/architecture.md draws the layers that pyproject.toml's import-linter contracts enforce:
the diagram, the table and the contracts say the same, and every app is described."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
PYPROJECT = ROOT / "pyproject.toml"

SUBGRAPH = re.compile(r"^\s*subgraph\s+(\w+)\b")
NODE = re.compile(r"^\s*(\w+)\[")
EDGE = re.compile(r"^\s*(\w+)\s*--.*?-->\s*(\w+)\s*$")
TABLE_ROW = re.compile(r"^\|\s*(\d+|—)\s*\|([^|]*)\|")


def importlinter():
    return tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]


def contract(contract_id):
    (found,) = [c for c in importlinter()["contracts"] if c["id"] == contract_id]
    return found


def contract_layers():
    """The ``layers`` contract, top first: one set of apps per layer ("a | b" are independent
    siblings, "a : b" siblings that may import each other)."""
    return [
        frozenset(part.strip() for part in re.split(r"[|:]", layer))
        for layer in contract("layers")["layers"]
    ]


def doc_text():
    return DOC.read_text()


def mermaid():
    blocks = re.findall(r"```mermaid\n(.*?)```", doc_text(), re.S)
    assert len(blocks) == 1, "docs/architecture.md draws the layers in one Mermaid diagram"
    return blocks[0]


def diagram_groups():
    """``[(subgraph id, [node ids])]`` in the order the diagram declares them."""
    groups, current = [], None
    for line in mermaid().splitlines():
        if match := SUBGRAPH.match(line):
            current = (match[1], [])
            groups.append(current)
        elif line.strip() == "end":
            current = None
        elif current is not None and (match := NODE.match(line)):
            current[1].append(match[1])
    return groups


def diagram_layers():
    return [frozenset(nodes) for name, nodes in diagram_groups() if name.startswith("layer")]


def layers_section():
    text = doc_text()
    start = text.index("## The layers")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def table_rows():
    rows = {}
    for line in layers_section().splitlines():
        if match := TABLE_ROW.match(line):
            rows[match[1]] = frozenset(re.findall(r"`(\w+)`", match[2]))
    return rows


def test_the_diagram_draws_the_contracts_layers_in_order():
    assert diagram_layers() == contract_layers()


def test_the_diagram_arrows_point_down():
    order = [name for name, _nodes in diagram_groups()]
    edges = [EDGE.match(line).groups() for line in mermaid().splitlines() if EDGE.match(line)]
    assert edges
    for source, target in edges:
        assert order.index(source) < order.index(target), (source, target)


def test_the_table_lists_the_contracts_layers_in_order():
    rows = table_rows()
    numbered = sorted((int(key), apps) for key, apps in rows.items() if key.isdigit())
    assert [number for number, _apps in numbered] == list(range(1, len(numbered) + 1))
    assert [apps for _number, apps in reversed(numbered)] == contract_layers()


def test_the_demo_is_on_top_and_imported_by_nobody():
    no_demo = contract("no-demo")
    forbidden = frozenset(no_demo["forbidden_modules"])
    (on_top,) = [nodes for name, nodes in diagram_groups() if not name.startswith("layer")]
    assert frozenset(on_top) == forbidden
    assert table_rows()["—"] == forbidden
    # Every app of the layers is forbidden to import the demo.
    assert frozenset(no_demo["source_modules"]) == frozenset().union(*contract_layers())


def test_every_app_in_the_contracts_is_described():
    apps = set(importlinter()["root_packages"])
    apps |= set().union(*contract_layers())
    apps |= set(contract("no-demo")["forbidden_modules"])
    text = doc_text()
    described = set(re.findall(r"^### (.+)$", text, re.M))
    headings = " ".join(described)
    missing = [app for app in sorted(apps) if f"`{app}/`" not in headings]
    assert missing == []
    drawn = {node for _name, nodes in diagram_groups() for node in nodes}
    assert drawn == apps


def test_every_app_is_under_the_contracts():
    """A new top-level app cannot skip the contracts (and so this page)."""
    on_disk = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert on_disk == set(importlinter()["root_packages"])
