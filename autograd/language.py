"""What a learner reads, in English, Korean and Japanese: one table of texts.

Every text that ``explain``, ``draw``'s legend, ``animate_backward``'s page and
the ``chainrule`` command show is a key here, with its translations side by
side under their language codes, so that a missing one is easy to see (and a
test checks that each key has every language, with the same ``{fields}``).
``nn.exercises`` and the demos own their words in tables of the same shape,
read with ``text_in``; a language, with its fonts, is a row of ``_LANGUAGES``.

The words follow the book's Korean and Japanese editions: 순전파/順伝播 (forward), 역전파/逆伝播
(backward), 국소적 미분/局所的な微分 (local derivative), 연쇄법칙/連鎖律
(chain rule), 계산 그래프/計算グラフ (computational graph).

Korean and Japanese are written as a person would write them to a reader: in
the polite register (합니다, です), with instructions as requests (값을 주세요,
指定してください), and no English but code, names and numbers. A Korean
particle after a field is the field's format spec, ``{upstream:이}``, so that it
fits the word or number before it (1이, 2가; see ``autograd.hangul``): no text
here says 이(가).

    >>> text("ko", "leaves_title", root="price")
    '입력 변수의 기울기 (d price / d 변수):'
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from autograd.hangul import PARTICLES, attach

__all__ = ["LANGUAGES", "Language", "check_language", "fonts", "text", "text_in"]


@dataclass(frozen=True)
class Language:
    """A language a learner may choose: its code (``--lang``), its own name, and the fonts
    that draw its script, first choice first (Graphviz takes the first one installed)."""
    code: str
    name: str
    fonts: tuple[str, ...]


# Fonts that cover Hangul and Kana come first: without them 사과 and りんご are drawn as
# empty boxes, and an English page still shows a learner's Korean names. Noto Sans CJK
# (Debian's fonts-noto-cjk) has Latin letters too; Japanese text prefers its JP cut,
# whose kanji have Japanese shapes.
_LANGUAGES = {language.code: language for language in [
    Language("en", "English", ("Noto Sans CJK KR", "Noto Sans CJK JP")),
    Language("ko", "한국어", ("Noto Sans CJK KR", "Noto Sans CJK JP")),
    Language("ja", "日本語", ("Noto Sans CJK JP", "Noto Sans CJK KR")),
]}
LANGUAGES = tuple(_LANGUAGES)

# key -> {language code: text}; every key has every language (a test checks it)
_TEXTS: dict[str, dict[str, str]] = {
    # explain: the walk-through table
    "explain_title": {
        "en": "backward pass of {root} = {value}: {steps} chain-rule step{plural}; each parent "
            "gets upstream × local",
        "ko": "{root} = {value}의 역전파: 연쇄법칙 {steps}단계. 각 입력은 상류 미분 × 국소적 "
            "미분을 받습니다",
        "ja": "{root} = {value} の逆伝播: 連鎖律 {steps} ステップ。各入力は 上流の微分 × "
            "局所的な微分 を受け取ります",
    },
    "explain_more_rows": {
        "en": "… and {n} more row{plural}: explain(output, max_rows=None) shows every one",
        "ko": "… 이하 {n}행 생략: explain(output, max_rows=None)로 모두 볼 수 있습니다",
        "ja": "… 以下 {n} 行省略: explain(output, max_rows=None) ですべて表示します",
    },
    "explain_more_leaves": {
        "en": "… and {n} more leaf gradient{plural}: explain(output, max_rows=None) shows every "
            "one",
        "ko": "… 이하 입력 변수 {n}개 생략: explain(output, max_rows=None)로 모두 볼 수 있습니다",
        "ja": "… 以下 入力変数 {n} 個省略: explain(output, max_rows=None) ですべて表示します",
    },
    "col_step": {
        "en": "step",
        "ko": "단계",
        "ja": "ステップ",
    },
    "col_node": {
        "en": "node",
        "ko": "노드",
        "ja": "ノード",
    },
    "col_op": {
        "en": "op",
        "ko": "연산",
        "ja": "演算",
    },
    "col_upstream": {
        "en": "upstream",
        "ko": "상류 미분",
        "ja": "上流の微分",
    },
    "col_parent": {
        "en": "parent",
        "ko": "입력",
        "ja": "入力",
    },
    "col_local": {
        "en": "local",
        "ko": "국소적 미분",
        "ja": "局所的な微分",
    },
    "col_share": {
        "en": "share",
        "ko": "전달값",
        "ja": "渡す値",
    },
    "leaves_title": {
        "en": "gradients of the leaves (d {root} / d leaf):",
        "ko": "입력 변수의 기울기 (d {root} / d 변수):",
        "ja": "入力変数の勾配 (d {root} / d 変数):",
    },
    # draw: the legend
    "legend_data": {
        "en": "data = forward value",
        "ko": "data = 순전파 값",
        "ja": "data = 順伝播の値",
    },
    "legend_grad": {
        "en": "grad = d {root} / d node",
        "ko": "grad = d {root} / d 노드 (역전파)",
        "ja": "grad = d {root} / d ノード (逆伝播)",
    },
    "legend_op": {
        "en": "circle = operation",
        "ko": "원 = 연산",
        "ja": "円 = 演算",
    },
    "legend_path": {
        "en": "orange = a path from {root} to {input}",
        "ko": "주황색 = {root}에서 {input}까지의 경로",
        "ja": "オレンジ = {root} から {input} への経路",
    },
    "legend_wrong": {
        "en": "dashed red = wrong gradient (right one in brackets)",
        "ko": "빨간 점선 = 틀린 기울기 (괄호 안이 올바른 값)",
        "ja": "赤い破線 = 誤った勾配 (括弧内が正しい値)",
    },
    # animate_backward: the page
    "anim_title": {
        "en": "Backward pass of {root}, one chain-rule step at a time",
        "ko": "{root}의 역전파, 연쇄법칙 한 단계씩",
        "ja": "{root} の逆伝播、連鎖律を 1 ステップずつ",
    },
    "anim_prev": {
        "en": "◀ step",
        "ko": "◀ 이전",
        "ja": "◀ 前へ",
    },
    "anim_play": {
        "en": "play",
        "ko": "재생",
        "ja": "再生",
    },
    "anim_next": {
        "en": "step ▶",
        "ko": "다음 ▶",
        "ja": "次へ ▶",
    },
    "anim_counter": {
        "en": "step {i} of {n}",
        "ko": "{n}단계 중 {i}단계",
        "ja": "{n} ステップ中 {i} ステップ目",
    },
    "anim_start": {
        "en": "Forward pass done. Backward starts from the seed d {root} / d {root} = 1.",
        "ko": "순전파가 끝났습니다. 역전파는 d {root} / d {root} = 1에서 시작합니다.",
        "ja": "順伝播が終わりました。逆伝播は d {root} / d {root} = 1 から始まります。",
    },
    "anim_step": {
        "en": "Step {i}: {node} ({op}) has its full gradient {upstream} and hands upstream × "
            "local to each parent: {handed}.",
        "ko": "{i}단계: {node} ({op})의 기울기 {upstream:이} 완성되었습니다. 각 입력에 상류 미분 "
            "× 국소적 미분을 전달합니다: {handed}.",
        "ja": "ステップ {i}: {node} ({op}) の勾配 {upstream} が確定しました。各入力に 上流の微分 "
            "× 局所的な微分 を渡します: {handed}。",
    },
    "anim_hand": {
        "en": "{upstream} × {local} = {share} to {parent}",
        "ko": "{parent}에 {upstream} × {local} = {share}",
        "ja": "{parent} へ {upstream} × {local} = {share}",
    },
    "anim_counter_start": {
        "en": "forward pass (before step 1 of {n})",
        "ko": "순전파 (역전파 {n}단계 전)",
        "ja": "順伝播 (逆伝播 {n} ステップの前)",
    },
    "anim_pause": {
        "en": "pause",
        "ko": "일시 정지",
        "ja": "一時停止",
    },
    # the chainrule command
    "cli_description": {
        "en": "Differentiate an expression, print each input's gradient, draw the graph.",
        "ko": "식을 미분하여 각 입력의 기울기를 출력하고 계산 그래프를 그립니다.",
        "ja": "式を微分し、各入力の勾配を表示し、計算グラフを描きます。",
    },
    "cli_error": {
        "en": "{prog}: error: {message}",
        "ko": "{prog}: 오류: {message}",
        "ja": "{prog}: エラー: {message}",
    },
    "cli_no_inputs": {
        "en": "the expression uses no names, so it has no inputs to differentiate",
        "ko": "식에 변수 이름이 없어서 미분할 입력이 없습니다. 이름을 넣어 주세요. 예: x*2 x=1.5",
        "ja": "式に変数名がないので、微分する入力がありません。名前を入れてください。例: x*2 x=1.5",
    },
    "cli_repeated": {
        "en": "each name may be given once; repeated: {names}",
        "ko": "각 이름은 한 번만 주세요. 반복된 이름: {names}",
        "ja": "各名前は一度だけ指定してください。重複: {names}",
    },
    "cli_bad_output": {
        "en": "--output: use a .svg, .png, .pdf, .dot or .gv file, got {path!r}",
        "ko": "--output: .svg, .png, .pdf, .dot, .gv 파일을 주세요. 받은 값: {path!r}",
        "ja": "--output: .svg, .png, .pdf, .dot, .gv のファイルを指定してください。受け取った値: "
            "{path!r}",
    },
    "cli_help_expression": {
        "en": "using {allowed}",
        "ko": "사용할 수 있는 것: {allowed}",
        "ja": "使えるもの: {allowed}",
    },
    "cli_help_values": {
        "en": "each input's value, e.g. x=1.5 (each name once)",
        "ko": "각 입력의 값, 예: x=1.5 (이름마다 한 번)",
        "ja": "各入力の値、例: x=1.5 (名前ごとに一度)",
    },
    "cli_help_output": {
        "en": "diagram file: .svg, .png, .pdf, .dot or .gv; a missing folder is created only "
            "inside the working folder",
        "ko": "계산 그래프 파일: .svg, .png, .pdf, .dot, .gv. 없는 폴더는 작업 폴더 안에서만 "
            "만듭니다",
        "ja": "計算グラフのファイル: .svg, .png, .pdf, .dot, "
            ".gv。ないフォルダは作業フォルダの中でだけ作ります",
    },
    "cli_help_show": {
        "en": "what the boxes show (default: both)",
        "ko": "상자에 보일 것 (기본값: both)",
        "ja": "箱に表示するもの (既定値: both)",
    },
    "cli_help_rankdir": {
        "en": "the drawing's direction (default: LR, as in the book)",
        "ko": "그리는 방향 (기본값: 책처럼 LR)",
        "ja": "描く向き (既定値: 本と同じ LR)",
    },
    "cli_help_explain": {
        "en": "print the backward walk-through",
        "ko": "역전파 과정을 표로 출력합니다",
        "ja": "逆伝播の過程を表で表示します",
    },
    "cli_help_lang": {
        "en": "language of the messages, tables and legend: {languages}",
        "ko": "메시지, 표, 범례의 언어: {languages}",
        "ja": "メッセージ・表・凡例の言語: {languages}",
    },
    "cli_metavar_expression": {
        "en": "expression",
        "ko": "식",
        "ja": "式",
    },
    "cli_metavar_values": {
        "en": "name=number",
        "ko": "이름=숫자",
        "ja": "名前=数値",
    },
    "cli_metavar_output": {
        "en": "FILE",
        "ko": "파일",
        "ja": "ファイル",
    },
    "cli_example": {
        "en": "example",
        "ko": "예",
        "ja": "例",
    },
    "cli_assignment": {
        "en": "expected name=number, got {text!r}",
        "ko": "이름=숫자 형식으로 주세요. 받은 값: {text!r}",
        "ja": "名前=数値 の形で指定してください。受け取った値: {text!r}",
    },
    "cli_not_finite_input": {
        "en": "{name}={number}: {value} is not a finite number; give a finite value, e.g. "
            "{name}=1.5",
        "ko": "{name}={number}: {value} 값은 유한한 수가 아닙니다. 유한한 값을 주세요. 예: "
            "{name}=1.5",
        "ja": "{name}={number}: {value} は有限の数ではありません。有限の値を指定してください。例: "
            "{name}=1.5",
    },
    "cli_not_finite_result": {
        "en": "the result is not a finite number: the first value in the graph that is not finite "
            "is {node} = {value}",
        "ko": "결과가 유한한 수가 아닙니다. 그래프에서 처음으로 유한하지 않은 값: {node} = {value}",
        "ja": "結果が有限の数ではありません。グラフで最初に有限でない値: {node} = {value}",
    },
    "cli_output_name": {
        "en": "output",
        "ko": "출력",
        "ja": "出力",
    },
    "cli_output_is_folder": {
        "en": "--output {path}: that is a folder; give a file in it, e.g. {example}",
        "ko": "--output {path}: 폴더입니다. 그 안의 파일 이름을 주세요. 예: {example}",
        "ja": "--output {path}: フォルダです。その中のファイル名を指定してください。例: {example}",
    },
    "cli_output_parent_file": {
        "en": "--output {path}: {parent} is a file, not a folder",
        "ko": "--output {path}: {parent} 경로는 폴더가 아니라 파일입니다",
        "ja": "--output {path}: {parent} はフォルダではなくファイルです",
    },
    "cli_output_no_folder": {
        "en": "--output {path}: the folder {parent} does not exist; create it first (chainrule "
            "creates a missing folder only inside the working folder)",
        "ko": "--output {path}: {parent} 폴더가 없습니다. 먼저 만들어 주세요 (chainrule은 작업 "
            "폴더 안에서만 없는 폴더를 만듭니다)",
        "ja": "--output {path}: フォルダ {parent} がありません。先に作ってください (chainrule "
            "がないフォルダを作るのは作業フォルダの中だけです)",
    },
    "cli_output_failed": {
        "en": "--output {path}: cannot write it: {reason}",
        "ko": "--output {path}: 파일을 쓸 수 없습니다: {reason}",
        "ja": "--output {path}: ファイルを書けません: {reason}",
    },
    "cli_exit_codes": {
        "en": "exit status: 0 when the gradients are printed, 1 when the result is not a finite "
            "number or the diagram cannot be rendered, 2 for a refused expression, value or path",
        "ko": "종료 코드: 기울기를 출력하면 0, 결과가 유한한 수가 아니거나 그래프를 그릴 수 "
            "없으면 1, 식이나 값, 경로를 받아들일 수 없으면 2",
        "ja": "終了コード: 勾配を表示したら 0、結果が有限の数でないかグラフを描けなければ "
            "1、式・値・パスを受け付けられなければ 2",
    },
    "cli_not_a_number": {
        "en": "{name}: {number!r} is not a number",
        "ko": "{name}: {number!r:은} 숫자가 아닙니다. 숫자를 주세요. 예: {name}=1.5",
        "ja": "{name}: {number!r} は数値ではありません。数値を指定してください。例: {name}=1.5",
    },
    "cli_allowed": {
        "en": "numbers, names, + - * / **, unary minus and {functions}",
        "ko": "숫자, 이름, + - * / **, 음수 부호(-)와 함수 {functions}",
        "ja": "数、名前、+ - * / **、マイナス記号 (-) と関数 {functions}",
    },
    "wrote": {
        "en": "wrote {path}",
        "ko": "{path} 파일을 저장했습니다",
        "ja": "{path} に保存しました",
    },
    # argparse's own words, in the command's language
    "argparse_usage": {
        "en": "usage: ",
        "ko": "사용법: ",
        "ja": "使い方: ",
    },
    "argparse_positionals": {
        "en": "positional arguments",
        "ko": "위치 인수",
        "ja": "位置引数",
    },
    "argparse_options": {
        "en": "options",
        "ko": "옵션",
        "ja": "オプション",
    },
    "argparse_help": {
        "en": "show this help message and exit",
        "ko": "이 도움말을 보이고 끝냅니다",
        "ja": "このヘルプを表示して終了します",
    },
    "argparse_required": {
        "en": "the following arguments are required: {names}",
        "ko": "다음 인수를 주세요: {names}",
        "ja": "次の引数を指定してください: {names}",
    },
    "argparse_unrecognized": {
        "en": "unrecognized arguments: {names}",
        "ko": "알 수 없는 인수입니다: {names}",
        "ja": "認識できない引数です: {names}",
    },
    "argparse_invalid_choice": {
        "en": "argument {argument}: invalid choice: {value} (choose from {choices})",
        "ko": "인수 {argument}: {value:은} 고를 수 없습니다. 다음 중에서 골라 주세요: {choices}",
        "ja": "引数 {argument}: {value} は選べません。次から選んでください: {choices}",
    },
    "argparse_expected_one": {
        "en": "argument {argument}: expected one argument",
        "ko": "인수 {argument}: 값을 하나 주세요",
        "ja": "引数 {argument}: 値を一つ指定してください",
    },
    "argparse_argument": {
        "en": "argument {argument}: {message}",
        "ko": "인수 {argument}: {message}",
        "ja": "引数 {argument}: {message}",
    },
    # the expression's refusals (ExpressionError)
    "expr_too_long": {
        "en": "the expression is {length} characters long; at most {limit} are allowed",
        "ko": "식이 {length}자입니다. {limit}자 이하로 써 주세요",
        "ja": "式が {length} 文字あります。{limit} 文字以下にしてください",
    },
    "expr_syntax": {
        "en": "syntax error: {detail}",
        "ko": "문법 오류: {detail}",
        "ja": "構文エラー: {detail}",
    },
    "expr_too_many_parts": {
        "en": "the expression is too big: it has more than {limit} parts (numbers, names and "
            "operations)",
        "ko": "식이 너무 큽니다: 요소(숫자, 이름, 연산)가 {limit}개를 넘습니다",
        "ja": "式が大きすぎます: 要素 (数・名前・演算) が {limit} 個を超えています",
    },
    "expr_too_deep": {
        "en": "the expression is too big: it is nested more than {limit} deep",
        "ko": "식이 너무 큽니다: 중첩이 {limit}단계를 넘습니다",
        "ja": "式が大きすぎます: 入れ子が {limit} 段を超えています",
    },
    "expr_overflow": {
        "en": "this part overflows: its value is {value}, not a finite number",
        "ko": "이 부분에서 오버플로가 일어납니다: 값이 유한한 수가 아닙니다 ({value})",
        "ja": "この部分がオーバーフローします: 値が有限の数ではありません ({value})",
    },
    "expr_big_literal": {
        "en": "a number of {digits} digits is too large for a float",
        "ko": "{digits}자리 숫자는 float로 나타내기에 너무 큽니다",
        "ja": "{digits} 桁の数は float には大きすぎます",
    },
    "expr_call_it": {
        "en": "{name} is a function: call it, as in {name}(x)",
        "ko": "{name:은} 함수입니다. {name}(x)처럼 호출해 주세요",
        "ja": "{name} は関数です。{name}(x) のように呼び出してください",
    },
    "expr_unknown_name": {
        "en": "unknown name {name!r}: give it a value, e.g. {name}=1.5",
        "ko": "모르는 이름 {name!r}: 값을 주세요. 예: {name}=1.5",
        "ja": "未知の名前 {name!r}: 値を指定してください。例: {name}=1.5",
    },
    "expr_arity": {
        "en": "{name} takes {n} argument{plural}",
        "ko": "{name:은} 인수 {n}개를 받습니다",
        "ja": "{name} は引数を {n} 個とります",
    },
    "expr_only_calls": {
        "en": "only {functions} may be called",
        "ko": "호출할 수 있는 것은 {functions}뿐입니다",
        "ja": "呼び出せるのは {functions} だけです",
    },
    "expr_attribute": {
        "en": "attribute access is not allowed",
        "ko": "속성 접근은 쓸 수 없습니다",
        "ja": "属性アクセスは使えません",
    },
    "expr_not_allowed": {
        "en": "{kind} is not allowed; use {allowed}",
        "ko": "{kind:은} 쓸 수 없습니다. 쓸 수 있는 것: {allowed}",
        "ja": "{kind} は使えません。使えるもの: {allowed}",
    },
    # every program's Ctrl-C (cli.run_quietly)
    "interrupted": {
        "en": "interrupted",
        "ko": "중단했습니다",
        "ja": "中断しました",
    },
}


def check_language(lang: object, where: str) -> str:
    """``lang`` itself when it is one of LANGUAGES; else a ValueError naming ``where``."""
    if lang not in LANGUAGES:
        raise ValueError(f"{where}: unknown language {lang!r}; the languages are "
                         f"{', '.join(repr(code) for code in LANGUAGES)}")
    return lang  # type: ignore[return-value]


class _Formatter(string.Formatter):
    """``str.format``, and a Korean particle as a field's format spec: ``{value:이}`` is the
    value followed by 이 or 가, as its last sound asks (``autograd.hangul``)."""

    def format_field(self, value: object, spec: str) -> str:
        if spec in PARTICLES:
            return attach(format(value, ""), spec)
        return super().format_field(value, spec)


_FORMATTER = _Formatter()


def fonts(lang: str) -> tuple[str, ...]:
    """The fonts that draw ``lang``'s script, first choice first."""
    return _LANGUAGES[check_language(lang, "fonts")].fonts


def text_in(table: dict[str, dict[str, str]], lang: str, key: str, **fields: object) -> str:
    """The text ``key`` of ``table`` (key -> {language code: text}) in ``lang``, with its
    ``{fields}`` filled in: how a package that owns its words (nn.exercises, a demo)
    reads them."""
    try:
        template = table[key][check_language(lang, "text")]
    except KeyError:
        raise KeyError(f"text: no {lang!r} text for {key!r}") from None
    return _FORMATTER.format(template, **fields)


def text(lang: str, key: str, **fields: object) -> str:
    """The text ``key`` in ``lang``, with its ``{fields}`` filled in."""
    return text_in(_TEXTS, lang, key, **fields)
