"""demos/chapter5.ipynb runs top to bottom on a real kernel and shows the seed numbers."""

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
SEED_NUMBERS = ["220.00000000000003", "2.2", "110.00000000000001", "200.0",
                "715.0000000000001", "3.3000000000000003", "165.0", "650.0"]


def executed(lang: str = "en"):
    notebook = nbformat.read(ROOT / "demos" / "chapter5.ipynb", as_version=4)
    setup = notebook.cells[1]
    assert 'LANG = "en"' in setup.source
    setup.source = setup.source.replace('LANG = "en"', f'LANG = "{lang}"')
    # In memory, from demos/: nothing is written into the repository.
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "demos")}}).execute()
    return notebook


def outputs(notebook, mime: str = "text/plain") -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", "") + output.get("data", {}).get(mime, ""))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def english():
    return executed()


def test_the_notebook_prints_every_seed_number(english):
    words = re.findall(r"[\d.]+", outputs(english))
    for number in SEED_NUMBERS:
        assert number in words, number


def test_the_notebook_shows_diagrams_and_the_table_inline(english):
    svgs = outputs(english, "image/svg+xml")
    assert svgs.count("<svg") == 2 and "grad 650" in svgs
    assert "#e67e22" in svgs  # the highlighted path
    html = outputs(english, "text/html")
    assert "<th>local</th>" in html and "<td>tax</td>" in html


def test_the_notebook_s_checks_come_out_as_the_book_says(english):
    text = outputs(english)
    assert "✓ Affine: backward agrees with chainrule's exact gradients" in text
    assert "✗ Affine: db[0] is" in text and "db = np.sum(dout, axis=0)" in text
    assert "2 paths from y to a" in text and "a.grad = 2.0" in text
    differences = [float(x) for x in re.findall(r"mean \|backprop - numerical\| = (\S+)", text)]
    assert len(differences) == 4 and max(differences) < 1e-7


def test_the_notebook_in_korean_labels_the_shop_in_korean():
    korean = executed("ko")
    svgs = outputs(korean, "image/svg+xml")
    assert "소비세" in svgs and "귤 개수" in svgs and "data = 순전파 값" in svgs
    assert "<th>국소적 미분</th>" in outputs(korean, "text/html")
    assert "힌트: " in outputs(korean)
