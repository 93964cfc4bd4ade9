"""What a learner reads, in English, Korean and Japanese: one table of texts.

Every text that ``explain``, ``draw``'s legend, ``animate_backward``'s page and
the ``chainrule`` command show is a key here, with its three translations side
by side, so that a missing one is easy to see (and a test checks that each
key has all three, with the same ``{fields}``). The words follow the book's
Korean and Japanese editions: 순전파/順伝播 (forward), 역전파/逆伝播
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

from autograd.hangul import PARTICLES, attach

__all__ = ["LANGUAGES", "check_language", "text"]

LANGUAGES = ("en", "ko", "ja")

# key -> (English, Korean, Japanese)
_TEXTS: dict[str, tuple[str, str, str]] = {
    # explain: the walk-through table
    "explain_title": (
        "backward pass of {root} = {value}: {steps} chain-rule step{plural}; each parent gets "
        "upstream × local",
        "{root} = {value}의 역전파: 연쇄법칙 {steps}단계. 각 입력은 상류 미분 × 국소적 미분을 "
        "받습니다",
        "{root} = {value} の逆伝播: 連鎖律 {steps} ステップ。各入力は 上流の微分 × "
        "局所的な微分 を受け取ります",
    ),
    "explain_more_rows": (
        "… and {n} more row{plural}: explain(output, max_rows=None) shows every one",
        "… 이하 {n}행 생략: explain(output, max_rows=None)로 모두 볼 수 있습니다",
        "… 以下 {n} 行省略: explain(output, max_rows=None) ですべて表示します",
    ),
    "explain_more_leaves": (
        "… and {n} more leaf gradient{plural}: explain(output, max_rows=None) shows every one",
        "… 이하 입력 변수 {n}개 생략: explain(output, max_rows=None)로 모두 볼 수 있습니다",
        "… 以下 入力変数 {n} 個省略: explain(output, max_rows=None) ですべて表示します",
    ),
    "col_step": (
        "step",
        "단계",
        "ステップ",
    ),
    "col_node": (
        "node",
        "노드",
        "ノード",
    ),
    "col_op": (
        "op",
        "연산",
        "演算",
    ),
    "col_upstream": (
        "upstream",
        "상류 미분",
        "上流の微分",
    ),
    "col_parent": (
        "parent",
        "입력",
        "入力",
    ),
    "col_local": (
        "local",
        "국소적 미분",
        "局所的な微分",
    ),
    "col_share": (
        "share",
        "전달값",
        "渡す値",
    ),
    "leaves_title": (
        "gradients of the leaves (d {root} / d leaf):",
        "입력 변수의 기울기 (d {root} / d 변수):",
        "入力変数の勾配 (d {root} / d 変数):",
    ),
    # draw: the legend
    "legend_data": (
        "data = forward value",
        "data = 순전파 값",
        "data = 順伝播の値",
    ),
    "legend_grad": (
        "grad = d {root} / d node",
        "grad = d {root} / d 노드 (역전파)",
        "grad = d {root} / d ノード (逆伝播)",
    ),
    "legend_op": (
        "circle = operation",
        "원 = 연산",
        "円 = 演算",
    ),
    "legend_path": (
        "orange = a path from {root} to {input}",
        "주황색 = {root}에서 {input}까지의 경로",
        "オレンジ = {root} から {input} への経路",
    ),
    "legend_wrong": (
        "dashed red = wrong gradient (right one in brackets)",
        "빨간 점선 = 틀린 기울기 (괄호 안이 올바른 값)",
        "赤い破線 = 誤った勾配 (括弧内が正しい値)",
    ),
    # animate_backward: the page
    "anim_title": (
        "Backward pass of {root}, one chain-rule step at a time",
        "{root}의 역전파, 연쇄법칙 한 단계씩",
        "{root} の逆伝播、連鎖律を 1 ステップずつ",
    ),
    "anim_prev": (
        "◀ step",
        "◀ 이전",
        "◀ 前へ",
    ),
    "anim_play": (
        "play",
        "재생",
        "再生",
    ),
    "anim_next": (
        "step ▶",
        "다음 ▶",
        "次へ ▶",
    ),
    "anim_counter": (
        "step {i} of {n}",
        "{n}단계 중 {i}단계",
        "{n} ステップ中 {i} ステップ目",
    ),
    "anim_start": (
        "Forward pass done. Backward starts from the seed d {root} / d {root} = 1.",
        "순전파가 끝났습니다. 역전파는 d {root} / d {root} = 1에서 시작합니다.",
        "順伝播が終わりました。逆伝播は d {root} / d {root} = 1 から始まります。",
    ),
    "anim_step": (
        "Step {i}: {node} ({op}) has its full gradient {upstream} and hands upstream × local "
        "to each parent: {handed}.",
        "{i}단계: {node} ({op})의 기울기 {upstream:이} 완성되었습니다. 각 입력에 상류 미분 × "
        "국소적 미분을 전달합니다: {handed}.",
        "ステップ {i}: {node} ({op}) の勾配 {upstream} が確定しました。各入力に 上流の微分 × "
        "局所的な微分 を渡します: {handed}。",
    ),
    "anim_hand": (
        "{upstream} × {local} = {share} to {parent}",
        "{parent}에 {upstream} × {local} = {share}",
        "{parent} へ {upstream} × {local} = {share}",
    ),
    "anim_counter_start": (
        "forward pass (before step 1 of {n})",
        "순전파 (역전파 {n}단계 전)",
        "順伝播 (逆伝播 {n} ステップの前)",
    ),
    "anim_pause": (
        "pause",
        "일시 정지",
        "一時停止",
    ),
    # the chainrule command
    "cli_description": (
        "Differentiate an expression, print each input's gradient, draw the graph.",
        "식을 미분하여 각 입력의 기울기를 출력하고 계산 그래프를 그립니다.",
        "式を微分し、各入力の勾配を表示し、計算グラフを描きます。",
    ),
    "cli_error": (
        "{prog}: error: {message}",
        "{prog}: 오류: {message}",
        "{prog}: エラー: {message}",
    ),
    "cli_no_inputs": (
        "the expression uses no names, so it has no inputs to differentiate",
        "식에 변수 이름이 없어서 미분할 입력이 없습니다. 이름을 넣어 주세요. 예: x*2 x=1.5",
        "式に変数名がないので、微分する入力がありません。名前を入れてください。例: x*2 x=1.5",
    ),
    "cli_repeated": (
        "each name may be given once; repeated: {names}",
        "각 이름은 한 번만 주세요. 반복된 이름: {names}",
        "各名前は一度だけ指定してください。重複: {names}",
    ),
    "cli_bad_output": (
        "--output: use a .svg, .png, .pdf, .dot or .gv file, got {path!r}",
        "--output: .svg, .png, .pdf, .dot, .gv 파일을 주세요. 받은 값: {path!r}",
        "--output: .svg, .png, .pdf, .dot, .gv のファイルを指定してください。受け取った値: "
        "{path!r}",
    ),
    "cli_help_expression": (
        "using {allowed}",
        "사용할 수 있는 것: {allowed}",
        "使えるもの: {allowed}",
    ),
    "cli_help_values": (
        "each input's value, e.g. x=1.5 (each name once)",
        "각 입력의 값, 예: x=1.5 (이름마다 한 번)",
        "各入力の値、例: x=1.5 (名前ごとに一度)",
    ),
    "cli_help_output": (
        "diagram file: .svg, .png, .pdf, .dot or .gv; a missing folder is created only inside "
        "the working folder",
        "계산 그래프 파일: .svg, .png, .pdf, .dot, .gv. 없는 폴더는 작업 폴더 안에서만 만듭니다",
        "計算グラフのファイル: .svg, .png, .pdf, .dot, "
        ".gv。ないフォルダは作業フォルダの中でだけ作ります",
    ),
    "cli_help_show": (
        "what the boxes show (default: both)",
        "상자에 보일 것 (기본값: both)",
        "箱に表示するもの (既定値: both)",
    ),
    "cli_help_rankdir": (
        "the drawing's direction (default: LR, as in the book)",
        "그리는 방향 (기본값: 책처럼 LR)",
        "描く向き (既定値: 本と同じ LR)",
    ),
    "cli_help_explain": (
        "print the backward walk-through",
        "역전파 과정을 표로 출력합니다",
        "逆伝播の過程を表で表示します",
    ),
    "cli_help_lang": (
        "language of the messages, tables and legend: {languages}",
        "메시지, 표, 범례의 언어: {languages}",
        "メッセージ・表・凡例の言語: {languages}",
    ),
    "cli_metavar_expression": ("expression", "식", "式"),
    "cli_metavar_values": ("name=number", "이름=숫자", "名前=数値"),
    "cli_metavar_output": ("FILE", "파일", "ファイル"),
    "cli_example": (
        "example",
        "예",
        "例",
    ),
    "cli_assignment": (
        "expected name=number, got {text!r}",
        "이름=숫자 형식으로 주세요. 받은 값: {text!r}",
        "名前=数値 の形で指定してください。受け取った値: {text!r}",
    ),
    "cli_not_finite_input": (
        "{name}={number}: {value} is not a finite number; give a finite value, e.g. {name}=1.5",
        "{name}={number}: {value} 값은 유한한 수가 아닙니다. 유한한 값을 주세요. 예: {name}=1.5",
        "{name}={number}: {value} は有限の数ではありません。有限の値を指定してください。例: "
        "{name}=1.5",
    ),
    "cli_not_finite_result": (
        "the result is not a finite number: the first value in the graph that is not finite is "
        "{node} = {value}",
        "결과가 유한한 수가 아닙니다. 그래프에서 처음으로 유한하지 않은 값: {node} = {value}",
        "結果が有限の数ではありません。グラフで最初に有限でない値: {node} = {value}",
    ),
    "cli_output_name": (
        "output",
        "출력",
        "出力",
    ),
    "cli_output_is_folder": (
        "--output {path}: that is a folder; give a file in it, e.g. {example}",
        "--output {path}: 폴더입니다. 그 안의 파일 이름을 주세요. 예: {example}",
        "--output {path}: フォルダです。その中のファイル名を指定してください。例: {example}",
    ),
    "cli_output_parent_file": (
        "--output {path}: {parent} is a file, not a folder",
        "--output {path}: {parent} 경로는 폴더가 아니라 파일입니다",
        "--output {path}: {parent} はフォルダではなくファイルです",
    ),
    "cli_output_no_folder": (
        "--output {path}: the folder {parent} does not exist; create it first (chainrule "
        "creates a missing folder only inside the working folder)",
        "--output {path}: {parent} 폴더가 없습니다. 먼저 만들어 주세요 (chainrule은 작업 폴더 "
        "안에서만 없는 폴더를 만듭니다)",
        "--output {path}: フォルダ {parent} がありません。先に作ってください (chainrule "
        "がないフォルダを作るのは作業フォルダの中だけです)",
    ),
    "cli_output_failed": (
        "--output {path}: cannot write it: {reason}",
        "--output {path}: 파일을 쓸 수 없습니다: {reason}",
        "--output {path}: ファイルを書けません: {reason}",
    ),
    "cli_exit_codes": (
        "exit status: 0 when the gradients are printed, 1 when the result is not a finite "
        "number or the diagram cannot be rendered, 2 for a refused expression, value or path",
        "종료 코드: 기울기를 출력하면 0, 결과가 유한한 수가 아니거나 그래프를 그릴 수 없으면 "
        "1, 식이나 값, 경로를 받아들일 수 없으면 2",
        "終了コード: 勾配を表示したら 0、結果が有限の数でないかグラフを描けなければ "
        "1、式・値・パスを受け付けられなければ 2",
    ),
    "cli_not_a_number": (
        "{name}: {number!r} is not a number",
        "{name}: {number!r:은} 숫자가 아닙니다. 숫자를 주세요. 예: {name}=1.5",
        "{name}: {number!r} は数値ではありません。数値を指定してください。例: {name}=1.5",
    ),
    "cli_allowed": (
        "numbers, names, + - * / **, unary minus and {functions}",
        "숫자, 이름, + - * / **, 음수 부호(-)와 함수 {functions}",
        "数、名前、+ - * / **、マイナス記号 (-) と関数 {functions}",
    ),
    "wrote": (
        "wrote {path}",
        "{path} 파일을 저장했습니다",
        "{path} に保存しました",
    ),
    # argparse's own words, in the command's language
    "argparse_usage": (
        "usage: ",
        "사용법: ",
        "使い方: ",
    ),
    "argparse_positionals": (
        "positional arguments",
        "위치 인수",
        "位置引数",
    ),
    "argparse_options": (
        "options",
        "옵션",
        "オプション",
    ),
    "argparse_help": (
        "show this help message and exit",
        "이 도움말을 보이고 끝냅니다",
        "このヘルプを表示して終了します",
    ),
    "argparse_required": (
        "the following arguments are required: {names}",
        "다음 인수를 주세요: {names}",
        "次の引数を指定してください: {names}",
    ),
    "argparse_unrecognized": (
        "unrecognized arguments: {names}",
        "알 수 없는 인수입니다: {names}",
        "認識できない引数です: {names}",
    ),
    "argparse_invalid_choice": (
        "argument {argument}: invalid choice: {value} (choose from {choices})",
        "인수 {argument}: {value:은} 고를 수 없습니다. 다음 중에서 골라 주세요: {choices}",
        "引数 {argument}: {value} は選べません。次から選んでください: {choices}",
    ),
    "argparse_expected_one": (
        "argument {argument}: expected one argument",
        "인수 {argument}: 값을 하나 주세요",
        "引数 {argument}: 値を一つ指定してください",
    ),
    "argparse_argument": (
        "argument {argument}: {message}",
        "인수 {argument}: {message}",
        "引数 {argument}: {message}",
    ),
    # the expression's refusals (ExpressionError)
    "expr_too_long": (
        "the expression is {length} characters long; at most {limit} are allowed",
        "식이 {length}자입니다. {limit}자 이하로 써 주세요",
        "式が {length} 文字あります。{limit} 文字以下にしてください",
    ),
    "expr_syntax": (
        "syntax error: {detail}",
        "문법 오류: {detail}",
        "構文エラー: {detail}",
    ),
    "expr_too_many_parts": (
        "the expression is too big: it has more than {limit} parts (numbers, names and "
        "operations)",
        "식이 너무 큽니다: 요소(숫자, 이름, 연산)가 {limit}개를 넘습니다",
        "式が大きすぎます: 要素 (数・名前・演算) が {limit} 個を超えています",
    ),
    "expr_too_deep": (
        "the expression is too big: it is nested more than {limit} deep",
        "식이 너무 큽니다: 중첩이 {limit}단계를 넘습니다",
        "式が大きすぎます: 入れ子が {limit} 段を超えています",
    ),
    "expr_overflow": (
        "this part overflows: its value is {value}, not a finite number",
        "이 부분에서 오버플로가 일어납니다: 값이 유한한 수가 아닙니다 ({value})",
        "この部分がオーバーフローします: 値が有限の数ではありません ({value})",
    ),
    "expr_big_literal": (
        "a number of {digits} digits is too large for a float",
        "{digits}자리 숫자는 float로 나타내기에 너무 큽니다",
        "{digits} 桁の数は float には大きすぎます",
    ),
    "expr_call_it": (
        "{name} is a function: call it, as in {name}(x)",
        "{name:은} 함수입니다. {name}(x)처럼 호출해 주세요",
        "{name} は関数です。{name}(x) のように呼び出してください",
    ),
    "expr_unknown_name": (
        "unknown name {name!r}: give it a value, e.g. {name}=1.5",
        "모르는 이름 {name!r}: 값을 주세요. 예: {name}=1.5",
        "未知の名前 {name!r}: 値を指定してください。例: {name}=1.5",
    ),
    "expr_arity": (
        "{name} takes {n} argument{plural}",
        "{name:은} 인수 {n}개를 받습니다",
        "{name} は引数を {n} 個とります",
    ),
    "expr_only_calls": (
        "only {functions} may be called",
        "호출할 수 있는 것은 {functions}뿐입니다",
        "呼び出せるのは {functions} だけです",
    ),
    "expr_attribute": (
        "attribute access is not allowed",
        "속성 접근은 쓸 수 없습니다",
        "属性アクセスは使えません",
    ),
    "expr_not_allowed": (
        "{kind} is not allowed; use {allowed}",
        "{kind:은} 쓸 수 없습니다. 쓸 수 있는 것: {allowed}",
        "{kind} は使えません。使えるもの: {allowed}",
    ),
    # nn.exercises: the checker of the book's layers
    "ex_passed": (
        "{layer}: backward agrees with chainrule's exact gradients in {cases} random cases.",
        "{layer}: backward가 무작위 {cases}개 사례에서 chainrule의 정확한 기울기와 일치합니다.",
        "{layer}: backward は無作為な {cases} 例で chainrule の正確な勾配と一致します。",
    ),
    "ex_wrong_value": (
        "{layer}: d{name}{index} is {got} from your backward, but chainrule gives {expected}.",
        "{layer}: 작성한 backward의 d{name}{index:은} {got}인데, chainrule은 {expected:을} "
        "줍니다.",
        "{layer}: あなたの backward の d{name}{index} は {got} ですが、chainrule は {expected} "
        "を与えます。",
    ),
    "ex_wrong_shape": (
        "{layer}: d{name} has shape {got}, but {name} has shape {expected}.",
        "{layer}: d{name}의 형상은 {got}인데, {name}의 형상은 {expected}입니다.",
        "{layer}: d{name} の形状は {got} ですが、{name} の形状は {expected} です。",
    ),
    "ex_wrong_forward": (
        "{layer}: your forward no longer gives the layer's numbers (the starter's forward was "
        "right; backward relies on it).",
        "{layer}: forward가 이 계층의 값을 더는 내지 않습니다 (시작 파일의 forward가 맞았고, "
        "backward는 그것에 기댑니다). forward를 되돌려 주세요.",
        "{layer}: forward がこのレイヤの値を出さなくなりました (開始ファイルの forward "
        "は正しく、backward はそれに頼ります)。forward を元に戻してください。",
    ),
    "ex_yours_forward": (
        "your forward",
        "작성한 forward",
        "あなたの forward",
    ),
    "ex_case": (
        "The smallest case found:",
        "찾아낸 가장 작은 사례:",
        "見つかった最小の例:",
    ),
    "ex_yours": (
        "from your backward",
        "작성한 backward",
        "あなたの backward",
    ),
    "ex_chainrule": (
        "from chainrule",
        "chainrule",
        "chainrule",
    ),
    "ex_hint": (
        "Hint: {hint}",
        "힌트: {hint}",
        "ヒント: {hint}",
    ),
    "ex_not_written": (
        "{layer}.backward is not written yet (it raises NotImplementedError).",
        "{layer}.backward를 아직 작성하지 않았습니다 (NotImplementedError). 작성해 주세요.",
        "{layer}.backward はまだ書かれていません (NotImplementedError)。書いてください。",
    ),
    "ex_crashed": (
        "{layer}: your code raised {error}",
        "{layer}: 작성한 코드에서 예외가 발생했습니다: {error}",
        "{layer}: あなたのコードが例外を出しました: {error}",
    ),
    "ex_your_line": (
        "your line: {line}",
        "작성한 코드의 줄: {line}",
        "あなたのコードの行: {line}",
    ),
    "ex_this_case": (
        "The case:",
        "그 사례:",
        "その例:",
    ),
    "ex_timeout": (
        "{layer}: your code did not return within {seconds} s on this case, so the check "
        "stopped it (an endless loop?).",
        "{layer}: 작성한 코드가 이 사례에서 {seconds}초 안에 끝나지 않아서 검사를 멈췄습니다 "
        "(무한 루프인가요?).",
        "{layer}: あなたのコードがこの例で {seconds} 秒以内に終わらなかったので、検査を止めまし"
        "た (無限ループですか)。",
    ),
    "ex_not_set_attribute": (
        "{layer}: self.d{name} is still None: your backward never sets it. Set it in backward, "
        "e.g. self.d{name} = ...",
        "{layer}: self.d{name} 값이 아직 None입니다. backward에서 설정하지 않았습니다. "
        "backward 안에서 self.d{name} = ... 처럼 설정해 주세요.",
        "{layer}: self.d{name} がまだ None です。backward で設定していません。backward の中で "
        "self.d{name} = ... のように設定してください。",
    ),
    "ex_not_set_returned": (
        "{layer}: your backward returns None for d{name}. Return it at the end of backward.",
        "{layer}: 작성한 backward가 d{name} 대신 None을 반환합니다. backward 끝에서 반환해 "
        "주세요.",
        "{layer}: あなたの backward は d{name} の代わりに None を返しています。backward "
        "の最後で返してください。",
    ),
    "ex_seed": (
        "random, seed {seed}: --seed {seed} repeats it",
        "무작위, 시드 {seed}: --seed {seed:으로} 다시 볼 수 있습니다",
        "無作為、シード {seed}: --seed {seed} で再現できます",
    ),
    "ex_no_file": (
        "no such file: {file}",
        "파일이 없습니다: {file}",
        "ファイルがありません: {file}",
    ),
    "ex_file_line": (
        "{file}, line {line}",
        "{file}, {line}행",
        "{file}、{line} 行目",
    ),
    "ex_syntax": (
        "{where}: syntax error: {detail}",
        "{where}: 문법 오류: {detail}",
        "{where}: 構文エラー: {detail}",
    ),
    "ex_load_failed": (
        "{where}: running the file raised {error}",
        "{where}: 파일을 실행하다가 예외가 발생했습니다: {error}",
        "{where}: ファイルの実行中に例外が出ました: {error}",
    ),
    "interrupted": (
        "interrupted",
        "중단했습니다",
        "中断しました",
    ),
    "ex_no_class": (
        "{file} does not define class {layer}",
        "{file}에 {layer} 클래스가 정의되어 있지 않습니다",
        "{file} にクラス {layer} が定義されていません",
    ),
    "ex_no_classes": (
        "{file} defines none of the exercise classes: {layers}",
        "{file}에 연습 문제 클래스가 하나도 없습니다: {layers}",
        "{file} に練習問題のクラスが一つもありません: {layers}",
    ),
    "ex_unknown": (
        "unknown exercise {layer!r}; the exercises are {layers}",
        "모르는 연습 문제 {layer!r}입니다. 다음 중에서 골라 주세요: {layers}",
        "未知の練習問題 {layer!r} です。次から選んでください: {layers}",
    ),
    "ex_wrote": (
        "wrote {path}: fill in backward, then run\n  python -m nn.exercises check {path} "
        "--lang {language}",
        "{path} 파일을 만들었습니다. backward를 채운 뒤 실행해 주세요:\n  python -m "
        "nn.exercises check {path} --lang {language}",
        "{path} を作りました。backward を書いてから実行してください:\n  python -m nn.exercises "
        "check {path} --lang {language}",
    ),
    "ex_exists": (
        "{path} exists already; it is left as it is",
        "{path} 파일이 이미 있어서 그대로 둡니다",
        "{path} は既にあるので、そのままにします",
    ),
    "ex_list_title": (
        "the exercises of Deep Learning from Scratch, ch. 5 (start one with python -m "
        "nn.exercises start NAME):",
        "밑바닥부터 시작하는 딥러닝 5장의 연습 문제 (시작하려면 python -m nn.exercises start "
        "이름):",
        "ゼロから作るDeep Learning 第5章の練習問題 (始めるには python -m nn.exercises start "
        "名前):",
    ),
    # python -m nn.exercises list: each exercise's layer and its section of the book
    "title_mul": (
        "5.4.1  the multiplication node: x * y",
        "5.4.1  곱셈 계층: x * y",
        "5.4.1  乗算レイヤ: x * y",
    ),
    "title_add": (
        "5.4.2  the addition node: x + y",
        "5.4.2  덧셈 계층: x + y",
        "5.4.2  加算レイヤ: x + y",
    ),
    "title_relu": (
        "5.5.1  ReLU: max(0, x)",
        "5.5.1  ReLU 계층: max(0, x)",
        "5.5.1  ReLU レイヤ: max(0, x)",
    ),
    "title_sigmoid": (
        "5.5.2  Sigmoid: 1 / (1 + exp(-x))",
        "5.5.2  Sigmoid 계층: 1 / (1 + exp(-x))",
        "5.5.2  Sigmoid レイヤ: 1 / (1 + exp(-x))",
    ),
    "title_affine": (
        "5.6.2  Affine: x · W + b",
        "5.6.2  Affine 계층: x · W + b",
        "5.6.2  Affine レイヤ: x · W + b",
    ),
    "title_softmax": (
        "5.6.3  Softmax-with-Loss: softmax, then the cross-entropy error",
        "5.6.3  Softmax-with-Loss 계층: 소프트맥스 함수와 교차 엔트로피 오차",
        "5.6.3  Softmax-with-Loss レイヤ: ソフトマックス関数と交差エントロピー誤差",
    ),
    # the exercises' hints
    "hint_bias_shape": (
        "db has the right numbers in the wrong shape: sum without keepdims, db = np.sum(dout, "
        "axis=0), so that db has b's shape.",
        "db의 값은 맞지만 형상이 틀렸습니다. keepdims 없이 db = np.sum(dout, axis=0)으로 "
        "더해서 b와 같은 형상으로 만들어 주세요.",
        "db の値は正しいが形状が違います。keepdims なしで db = np.sum(dout, axis=0) "
        "と足して、b と同じ形状にしてください。",
    ),
    "hint_mul": (
        "multiplication hands each input dout times the other input: dx = dout * y, dy = dout "
        "* x.",
        "곱셈은 각 입력에 dout × (다른 입력)을 전달합니다: dx = dout * y, dy = dout * x.",
        "乗算は各入力に dout × (もう一方の入力) を渡します: dx = dout * y, dy = dout * x。",
    ),
    "hint_add": (
        "addition hands dout on unchanged to both inputs: dx = dout, dy = dout.",
        "덧셈은 dout을 그대로 두 입력에 전달합니다: dx = dout, dy = dout.",
        "加算は dout をそのまま両方の入力に渡します: dx = dout, dy = dout。",
    ),
    "hint_relu": (
        "dx is dout where x > 0 and 0 elsewhere: set dout[self.mask] = 0.",
        "x > 0인 곳은 dout, 나머지는 0입니다: dout[self.mask] = 0.",
        "x > 0 の所は dout、それ以外は 0 です: dout[self.mask] = 0。",
    ),
    "hint_relu_zero": (
        "it is wrong only where x is exactly 0. There relu'(0) = 0, as in the book, whose mask "
        "is (x <= 0), not (x < 0).",
        "x가 정확히 0인 곳에서만 틀렸습니다. 책처럼 relu'(0) = 0이므로 mask는 (x < 0)이 아니라 "
        "(x <= 0)입니다.",
        "x がちょうど 0 の所だけが誤っています。本と同じく relu'(0) = 0 なので、mask は (x < "
        "0) ではなく (x <= 0) です。",
    ),
    "hint_sigmoid": (
        "the local derivative of y = sigmoid(x) is y * (1 - y), so dx = dout * y * (1 - y); "
        "dout * y alone forgets the (1 - y).",
        "y = sigmoid(x)의 국소적 미분은 y * (1 - y)이므로 dx = dout * y * (1 - y)입니다. dout "
        "* y만으로는 (1 - y)가 빠집니다.",
        "y = sigmoid(x) の局所的な微分は y * (1 - y) なので dx = dout * y * (1 - y) です。dout "
        "* y だけでは (1 - y) が抜けています。",
    ),
    "hint_affine": (
        "the book's formulas: dx = np.dot(dout, W.T), dW = np.dot(x.T, dout), db = "
        "np.sum(dout, axis=0).",
        "책의 식: dx = np.dot(dout, W.T), dW = np.dot(x.T, dout), db = np.sum(dout, axis=0).",
        "本の式: dx = np.dot(dout, W.T), dW = np.dot(x.T, dout), db = np.sum(dout, axis=0)。",
    ),
    "hint_bias_sum": (
        "the bias is added to every one of the N rows of the batch, so it feeds N additions "
        "and its gradient is the sum of their shares: db = np.sum(dout, axis=0). See "
        "autograd.paths(loss, b).",
        "편향은 배치의 N개 행 모두에 더해지므로 N개의 덧셈에 쓰이고, 기울기는 그 몫의 "
        "합입니다: db = np.sum(dout, axis=0). autograd.paths(loss, b)를 보세요.",
        "バイアスはバッチの N 行すべてに足されるので N 個の加算に使われ、勾配はそれらの和です: "
        "db = np.sum(dout, axis=0)。autograd.paths(loss, b) を見てください。",
    ),
    "hint_softmax": (
        "dx = (y - t) / batch_size: the loss is the mean over the batch.",
        "dx = (y - t) / batch_size: 손실은 배치의 평균입니다.",
        "dx = (y - t) / batch_size: 損失はバッチの平均です。",
    ),
    "hint_batch": (
        "every element is {factor} times the right one, and {factor} is the batch size: the "
        "loss is the mean over the batch, so divide by batch_size.",
        "모든 원소가 올바른 값의 {factor}배이고 {factor:은} 배치 크기입니다. 손실은 배치의 "
        "평균이므로 batch_size로 나눠 주세요.",
        "すべての要素が正しい値の {factor} 倍で、{factor} "
        "はバッチサイズです。損失はバッチの平均なので batch_size で割ってください。",
    ),
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


def text(lang: str, key: str, **fields: object) -> str:
    """The text ``key`` in ``lang``, with its ``{fields}`` filled in."""
    template = _TEXTS[key][LANGUAGES.index(check_language(lang, "text"))]
    return _FORMATTER.format(template, **fields)
