"""Korean and Japanese readers: fonts, display-width tables, three languages, notebooks."""

import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from graphs import fruit_graph

import autograd
from autograd import Value
from autograd.cli import main as cli_main
from autograd.diagram import font_list
from autograd.explain import Explanation, Row, display_width
from autograd.language import _TEXTS, LANGUAGES, text
from nn.exercises.texts import TEXTS as EXERCISE_TEXTS

# Every table of texts: the engine's own, and those of the packages that own their words
# (the demos' tables are keyed the other way round, language first: test_demos reads them).
ALL_TEXTS = {**_TEXTS, **EXERCISE_TEXTS}
assert len(ALL_TEXTS) == len(_TEXTS) + len(EXERCISE_TEXTS)  # no key in two tables

ROOT = Path(__file__).resolve().parents[1]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(ALL_TEXTS))
def test_every_text_has_three_languages_with_the_same_fields(key):
    english, korean, japanese = (ALL_TEXTS[key][code] for code in ("en", "ko", "ja"))
    assert tuple(ALL_TEXTS[key]) == LANGUAGES == ("en", "ko", "ja")
    # Korean and Japanese have no plural ending; every other field is in all three.
    assert _fields(english) - {"plural"} == _fields(korean) == _fields(japanese)
    assert korean != english and japanese != english  # really translated


def test_texts_read_in_each_language():
    assert text("en", "col_local") == "local"
    assert text("ko", "col_local") == "국소적 미분"
    assert text("ja", "col_local") == "局所的な微分"
    assert text("ko", "leaves_title", root="가격") == "입력 변수의 기울기 (d 가격 / d 변수):"


@pytest.mark.parametrize("call", [
    lambda x: autograd.explain(x, lang="fr"),
    lambda x: autograd.draw(x, lang="fr"),
    lambda x: autograd.animate_backward(x, lang="fr"),
    lambda x: font_list("fr"),
    lambda x: text("fr", "col_op"),
])
def test_an_unknown_language_is_refused_with_the_list(call):
    with pytest.raises(ValueError, match=r"unknown language 'fr'; the languages are "
                                         r"'en', 'ko', 'ja'"):
        call(Value(1.0) * 2)


# --- display width -----------------------------------------------------------------

def test_display_width_counts_wide_characters_as_two():
    assert display_width("apple") == 5
    assert display_width("사과") == 4
    assert display_width("りんご") == 6
    assert display_width("消費税") == 6
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert display_width("ｱ") == 1  # half-width katakana is narrow


def _cell_columns(line: str, cells: list[str]) -> dict[int, tuple[int, int]]:
    """For each non-empty cell k: the display columns where its text starts and ends."""
    found, position = {}, 0
    for k, cell in enumerate(cells):
        if cell:
            position = line.index(cell, position)
            start = display_width(line[:position])
            found[k] = (start, start + display_width(cell))
            position += len(cell)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_explain_columns_line_up_by_display_width_with_korean_names(lang):
    price, _ = fruit_graph(lang="ko")
    explanation = autograd.explain(price, lang=lang)
    lines = str(explanation).splitlines()[2:]
    table = [explanation.header(), *explanation.cells()]
    columns = [_cell_columns(line, cells) for line, cells in zip(lines, table, strict=False)]
    assert len(columns) == 1 + len(explanation.rows) == 9
    for k in range(7):
        # step is right-aligned (same end); the other columns are left-aligned (same start)
        edges = {where[k][1] if k == 0 else where[k][0] for where in columns if k in where}
        assert len(edges) == 1, (k, edges)
    # and the char-counting padding would not have lined them up: 지불 금액 is 5 long, 9 wide
    assert len("지불 금액") != display_width("지불 금액")


def test_explanation_rows_hold_the_numbers_and_the_html_and_markdown_show_them():
    price, leaves = fruit_graph(lang="ko")
    price.backward()
    explanation = autograd.explain(price, lang="ko")
    assert isinstance(explanation, Explanation)
    assert explanation.rows[0] == Row(1, "지불 금액", "×", 1.0, "합계", 1.1, 1.1)
    assert explanation.rows[1] == Row(None, None, None, None, "소비세", 650.0, 650.0)
    assert dict(explanation.gradients) == {leaf.name: leaf.grad for leaf in leaves.values()}
    assert repr(explanation) == str(explanation)
    page = explanation._repr_html_()
    assert page.count("<tr>") == 1 + len(explanation.rows)
    assert "<th>국소적 미분</th>" in page and "<td>소비세</td>" in page
    markdown = explanation._repr_markdown_()
    assert "| 단계 | 노드 | 연산 | 상류 미분 | 입력 | 국소적 미분 | 전달값 |" in markdown
    assert "| 1 | 지불 금액 | × | 1 | 합계 | 1.1 | 1.1 |" in markdown
    assert "- `소비세 = 650.0`" in markdown


def test_explanation_escapes_what_html_and_markdown_would_read_as_markup():
    x = Value(2.0, "<b>|x")
    shown = autograd.explain(x * 3)
    assert "&lt;b&gt;|x" in shown._repr_html_() and "<b>|x" not in shown._repr_html_()
    assert "&lt;b&gt;\\|x" not in shown._repr_markdown_()
    assert "| <b>\\|x |" in shown._repr_markdown_()


def test_ipython_pretty_printer_gets_the_table():
    class Printer:
        written = ""

        def text(self, s):
            self.written += s

    printer = Printer()
    explanation = autograd.explain(Value(2.0, "x") * 3)
    explanation._repr_pretty_(printer, False)
    assert printer.written == str(explanation)


# --- fonts ---------------------------------------------------------------------------

def test_font_list_puts_a_cjk_font_first_and_the_language_s_own_cut_first():
    assert font_list("ko").startswith("Noto Sans CJK KR,")
    assert font_list("ja").startswith("Noto Sans CJK JP,")
    assert font_list().endswith("sans-serif") and "NanumGothic" in font_list()


@needs_dot
@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
@pytest.mark.parametrize("lang, label", [("ko", "사과 귤 소비세"), ("ja", "りんご みかん 消費税")])
def test_the_chosen_font_covers_korean_and_japanese_labels(lang, label, tmp_path):
    leaves = [Value(1.0, word) for word in label.split()]
    diagram = autograd.draw(leaves[0] * leaves[1] + leaves[2], lang=lang)
    source = tmp_path / "graph.dot"
    source.write_text(diagram.source, encoding="utf-8")
    run = subprocess.run(["dot", "-v", "-Tpng", str(source), "-o", str(tmp_path / "g.png")],
                         capture_output=True, text=True, check=True)
    resolved = re.findall(r'resolved to: \(\w+\) "([^",]+)', run.stderr)
    assert resolved, run.stderr
    family = resolved[0]
    assert family == font_list(lang).split(",")[0]
    characters = " ".join(f"{ord(ch):x}" for ch in set(label.replace(" ", "")))
    covering = subprocess.run(["fc-list", f"{family}:charset={characters}", "family"],
                              capture_output=True, text=True, check=True).stdout
    assert family in covering, f"{family} does not cover {label}"


def test_fontname_overrides_the_font_list():
    diagram = autograd.draw(Value(1.0, "x") * 2, fontname="DejaVu Serif")
    assert 'fontname="DejaVu Serif"' in diagram.source
    assert "Noto Sans CJK" not in diagram.source


# --- languages in the diagram, the animation and the command --------------------------

def test_the_legend_speaks_the_chosen_language():
    price, _ = fruit_graph(lang="ja")
    price.backward()
    source = autograd.draw(price, lang="ja").source
    assert "data = 順伝播の値" in source and "grad = d 支払金額 / d ノード (逆伝播)" in source
    assert "りんご" in source and "円 = 演算" in source


@needs_dot
def test_the_animation_s_controls_and_captions_speak_korean():
    price, _ = fruit_graph(lang="ko")
    page = autograd.animate_backward(price, lang="ko")
    assert '<html lang="ko">' in page
    assert "◀ 이전" in page and "재생" in page and "다음 ▶" in page
    assert "순전파가 끝났습니다." in page and "이(가)" not in page
    assert "1단계: 지불 금액 (×)의 기울기 1이 완성되었습니다." in page
    assert '"일시 정지"' in page and '"{n}단계 중 {i}단계"' in page  # play turns into pause
    assert '"순전파 (역전파 {n}단계 전)"' in page
    assert "Noto Sans CJK KR" in page
    assert "show(+location.hash.slice(1) || 0)" in page  # page.html#3 opens at step 3


def test_the_command_speaks_korean_and_puts_its_caret_under_a_korean_name(capsys):
    assert cli_main(["사과*개수 + 귤수", "사과=100", "개수=2", "--lang", "ko"]) == 2
    error = capsys.readouterr().err.splitlines()
    assert error[0] == "chainrule: 오류: 모르는 이름 '귤수': 값을 주세요. 예: 귤수=1.5"
    source, carets = error[1], error[2]
    assert source == "  사과*개수 + 귤수"
    # the carets stand under 귤수: 4 columns, after "사과*개수 + " (12 columns)
    assert carets == "  " + " " * 12 + "^^^^"


def test_the_command_prints_korean_gradients_aligned_and_a_korean_table(capsys):
    assert cli_main(["사과*개수*소비세", "사과=100", "개수=2", "소비세=1.1", "--lang", "ko",
                     "--explain"]) == 0
    out = capsys.readouterr().out
    assert "d/d사과   = 2.2\nd/d개수   = 110.00000000000001\nd/d소비세 = 200.0\n" in out
    assert "단계 노드 연산 상류 미분" in " ".join(out.split())


def test_the_command_refuses_an_unknown_language_with_the_list(capsys):
    with pytest.raises(SystemExit) as stop:
        cli_main(["x", "x=1", "--lang", "fr"])
    assert stop.value.code == 2
    assert "--lang: unknown language 'fr'; the languages are 'en', 'ko', 'ja'" in (
        capsys.readouterr().err)


def test_the_command_s_help_is_in_japanese(capsys):
    with pytest.raises(SystemExit):
        cli_main(["--lang", "ja", "--help"])
    out = capsys.readouterr().out
    assert "式を微分し、各入力の勾配を表示し、計算グラフを描きます。" in out
    assert out.startswith("使い方: chainrule ") and "オプション:" in out and "位置引数:" in out
    assert "このヘルプを表示して終了します" in out and "show this help" not in out


# --- the shop in Korean ---------------------------------------------------------------

def test_the_shop_in_korean_prints_the_seed_numbers_and_the_korean_edition_s_names(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "demos" / "apple_shop.py"), "--lang", "ko",
                          "--out", str(tmp_path)], capture_output=True, text=True, check=True,
                         timeout=120)
    words = run.stdout.split()
    for number in ["220.00000000000003", "2.2", "110.00000000000001", "200.0",
                   "715.0000000000001", "3.3000000000000003", "165.0", "650.0"]:
        assert number in words
    for name in ["사과", "귤", "d소비세", "일치"]:
        assert name in words
    assert run.stdout.count("일치          예") == 2
    svg = (tmp_path / "apple_shop.svg").read_text(encoding="utf-8")
    assert "소비세" in svg and "귤 개수" in svg and "data = 순전파 값" in svg


# --- the explanation, exactly -----------------------------------------------------------

def test_an_explanation_reads_exactly_so_in_text_html_and_markdown():
    shown = autograd.explain(Value(2.0, "x") * 3)
    assert str(shown) == (
        "backward pass of v1 = 6: 1 chain-rule step; each parent gets upstream × local\n\n"
        "step  node  op   upstream  parent  local  share\n"
        "   1  v1    × 3  1         x       3      3\n\n"
        "gradients of the leaves (d v1 / d leaf):\n  x = 3.0\n")
    assert shown._repr_html_() == (
        "<p>backward pass of v1 = 6: 1 chain-rule step; each parent gets upstream × local</p>"
        "<table><tr><th>step</th><th>node</th><th>op</th><th>upstream</th><th>parent</th>"
        "<th>local</th><th>share</th></tr><tr><td>1</td><td>v1</td><td>× 3</td><td>1</td>"
        "<td>x</td><td>3</td><td>3</td></tr></table>"
        "<p>gradients of the leaves (d v1 / d leaf):</p><ul><li><code>x = 3.0</code></li></ul>")
    assert shown._repr_markdown_() == (
        "backward pass of v1 = 6: 1 chain-rule step; each parent gets upstream × local\n\n"
        "| step | node | op | upstream | parent | local | share |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| 1 | v1 | × 3 | 1 | x | 3 | 3 |\n\n"
        "gradients of the leaves (d v1 / d leaf):\n\n- `x = 3.0`\n")


def test_a_leaf_behind_a_relu_that_is_off_has_gradient_zero():
    x = Value(1.0, "x")
    assert autograd.explain((x - 5).relu() * 2).gradients == [("x", 0.0)]


def test_explain_names_itself_in_its_refusals():
    with pytest.raises(TypeError, match=r"^explain: expected a Value, got float$"):
        autograd.explain(1.0)
    with pytest.raises(ValueError, match=r"^explain: unknown language 'xx'"):
        autograd.explain(Value(1.0) * 2, lang="xx")


@pytest.mark.parametrize("make, symbol", [
    (lambda x: x * 3, "× 3"), (lambda x: 3 * x, "3 ×"), (lambda x: 5 - x, "5 −"),
    (lambda x: x - 5, "− 5"), (lambda x: x ** 2, "^ 2"), (lambda x: 2 ** x, "2 ^"),
    (lambda x: autograd.leaky_relu(x, 0.2), "leaky_relu(·, 0.2)"),
    (lambda x: autograd.maximum(x, 1.0), "max(·, 1)"),
    (lambda x: autograd.dot([x], [3.0]), "dot"), (lambda x: x * x, "×"),
    (lambda x: autograd.sum([x, 1.0]), "Σ"),
])
def test_op_symbols_show_their_folded_numbers_where_they_go(make, symbol):
    from autograd.naming import op_symbol

    assert op_symbol(make(Value(2.0, "x"))) == symbol


def test_html_rows_and_leaves_follow_one_another_without_separators():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    page = autograd.explain(x * y)._repr_html_()
    assert "<td>3</td></tr><tr><td></td><td></td><td></td><td></td><td>y</td>" in page
    assert "<li><code>x = 3.0</code></li><li><code>y = 2.0</code></li></ul>" in page


def test_a_language_s_fonts_and_texts_refuse_an_unknown_language_or_key_by_name():
    from autograd.language import fonts, text_in

    assert fonts("ja") == ("Noto Sans CJK JP", "Noto Sans CJK KR")
    with pytest.raises(ValueError, match=r"^fonts: unknown language 'fr'; the languages are "
                                         r"'en', 'ko', 'ja'$"):
        fonts("fr")
    with pytest.raises(ValueError, match=r"^text: unknown language 'fr'"):
        text_in({"hello": {"en": "hello"}}, "fr", "hello")
    with pytest.raises(KeyError, match=r"text: no 'en' text for 'no_such_key'"):
        text("en", "no_such_key")
    with pytest.raises(KeyError, match=r"text: no 'ko' text for 'hello'"):
        text_in({"hello": {"en": "hello"}}, "ko", "hello")
