"""What the exercises say, in English, Korean and Japanese: the checker's reports, its
hints and the starters' titles, keyed like autograd.language's table (key -> {language
code: text}), with the same rules: the polite register, instructions as requests, and a
Korean particle as a field's format spec (``{seed:으로}``)."""

from __future__ import annotations

from autograd.language import text_in

__all__ = ["TEXTS", "text"]

TEXTS: dict[str, dict[str, str]] = {
    # nn.exercises: the checker of the book's layers
    "ex_passed": {
        "en": "{layer}: backward agrees with chainrule's exact gradients in {cases} random cases.",
        "ko": "{layer}: backward가 무작위 {cases}개 사례에서 chainrule의 정확한 기울기와 "
            "일치합니다.",
        "ja": "{layer}: backward は無作為な {cases} 例で chainrule の正確な勾配と一致します。",
    },
    "ex_wrong_value": {
        "en": "{layer}: d{name}{index} is {got} from your backward, but chainrule gives "
            "{expected}.",
        "ko": "{layer}: 작성한 backward의 d{name}{index:은} {got}인데, chainrule은 {expected:을} "
            "줍니다.",
        "ja": "{layer}: あなたの backward の d{name}{index} は {got} ですが、chainrule は "
            "{expected} を与えます。",
    },
    "ex_wrong_shape": {
        "en": "{layer}: d{name} has shape {got}, but {name} has shape {expected}.",
        "ko": "{layer}: d{name}의 형상은 {got}인데, {name}의 형상은 {expected}입니다.",
        "ja": "{layer}: d{name} の形状は {got} ですが、{name} の形状は {expected} です。",
    },
    "ex_wrong_forward": {
        "en": "{layer}: your forward no longer gives the layer's numbers (the starter's forward "
            "was right; backward relies on it).",
        "ko": "{layer}: forward가 이 계층의 값을 더는 내지 않습니다 (시작 파일의 forward가 "
            "맞았고, backward는 그것에 기댑니다). forward를 되돌려 주세요.",
        "ja": "{layer}: forward がこのレイヤの値を出さなくなりました (開始ファイルの forward "
            "は正しく、backward はそれに頼ります)。forward を元に戻してください。",
    },
    "ex_yours_forward": {
        "en": "your forward",
        "ko": "작성한 forward",
        "ja": "あなたの forward",
    },
    "ex_case": {
        "en": "The smallest case found:",
        "ko": "찾아낸 가장 작은 사례:",
        "ja": "見つかった最小の例:",
    },
    "ex_yours": {
        "en": "from your backward",
        "ko": "작성한 backward",
        "ja": "あなたの backward",
    },
    "ex_chainrule": {
        "en": "from chainrule",
        "ko": "chainrule",
        "ja": "chainrule",
    },
    "ex_hint": {
        "en": "Hint: {hint}",
        "ko": "힌트: {hint}",
        "ja": "ヒント: {hint}",
    },
    "ex_not_written": {
        "en": "{layer}.backward is not written yet (it raises NotImplementedError).",
        "ko": "{layer}.backward를 아직 작성하지 않았습니다 (NotImplementedError). 작성해 주세요.",
        "ja": "{layer}.backward はまだ書かれていません (NotImplementedError)。書いてください。",
    },
    "ex_crashed": {
        "en": "{layer}: your code raised {error}",
        "ko": "{layer}: 작성한 코드에서 예외가 발생했습니다: {error}",
        "ja": "{layer}: あなたのコードが例外を出しました: {error}",
    },
    "ex_your_line": {
        "en": "your line: {line}",
        "ko": "작성한 코드의 줄: {line}",
        "ja": "あなたのコードの行: {line}",
    },
    "ex_this_case": {
        "en": "The case:",
        "ko": "그 사례:",
        "ja": "その例:",
    },
    "ex_timeout": {
        "en": "{layer}: your code did not return within {seconds} s on this case, so the check "
            "stopped it (an endless loop?).",
        "ko": "{layer}: 작성한 코드가 이 사례에서 {seconds}초 안에 끝나지 않아서 검사를 "
            "멈췄습니다 (무한 루프인가요?).",
        "ja": "{layer}: あなたのコードがこの例で {seconds} "
            "秒以内に終わらなかったので、検査を止めました (無限ループですか)。",
    },
    "ex_not_set_attribute": {
        "en": "{layer}: self.d{name} is still None: your backward never sets it. Set it in "
            "backward, e.g. self.d{name} = ...",
        "ko": "{layer}: self.d{name} 값이 아직 None입니다. backward에서 설정하지 않았습니다. "
            "backward 안에서 self.d{name} = ... 처럼 설정해 주세요.",
        "ja": "{layer}: self.d{name} がまだ None です。backward で設定していません。backward "
            "の中で self.d{name} = ... のように設定してください。",
    },
    "ex_not_set_returned": {
        "en": "{layer}: your backward returns None for d{name}. Return it at the end of backward.",
        "ko": "{layer}: 작성한 backward가 d{name} 대신 None을 반환합니다. backward 끝에서 반환해 "
            "주세요.",
        "ja": "{layer}: あなたの backward は d{name} の代わりに None を返しています。backward "
            "の最後で返してください。",
    },
    "ex_seed": {
        "en": "random, seed {seed}: --seed {seed} repeats it",
        "ko": "무작위, 시드 {seed}: --seed {seed:으로} 다시 볼 수 있습니다",
        "ja": "無作為、シード {seed}: --seed {seed} で再現できます",
    },
    "ex_no_file": {
        "en": "no such file: {file}",
        "ko": "파일이 없습니다: {file}",
        "ja": "ファイルがありません: {file}",
    },
    "ex_file_line": {
        "en": "{file}, line {line}",
        "ko": "{file}, {line}행",
        "ja": "{file}、{line} 行目",
    },
    "ex_syntax": {
        "en": "{where}: syntax error: {detail}",
        "ko": "{where}: 문법 오류: {detail}",
        "ja": "{where}: 構文エラー: {detail}",
    },
    "ex_load_failed": {
        "en": "{where}: running the file raised {error}",
        "ko": "{where}: 파일을 실행하다가 예외가 발생했습니다: {error}",
        "ja": "{where}: ファイルの実行中に例外が出ました: {error}",
    },
    "ex_no_class": {
        "en": "{file} does not define class {layer}",
        "ko": "{file}에 {layer} 클래스가 정의되어 있지 않습니다",
        "ja": "{file} にクラス {layer} が定義されていません",
    },
    "ex_no_classes": {
        "en": "{file} defines none of the exercise classes: {layers}",
        "ko": "{file}에 연습 문제 클래스가 하나도 없습니다: {layers}",
        "ja": "{file} に練習問題のクラスが一つもありません: {layers}",
    },
    "ex_unknown": {
        "en": "unknown exercise {layer!r}; the exercises are {layers}",
        "ko": "모르는 연습 문제 {layer!r}입니다. 다음 중에서 골라 주세요: {layers}",
        "ja": "未知の練習問題 {layer!r} です。次から選んでください: {layers}",
    },
    "ex_wrote": {
        "en": "wrote {path}: fill in backward, then run\n  python -m nn.exercises check {path} "
            "--lang {language}",
        "ko": "{path} 파일을 만들었습니다. backward를 채운 뒤 실행해 주세요:\n  python -m "
            "nn.exercises check {path} --lang {language}",
        "ja": "{path} を作りました。backward を書いてから実行してください:\n  python -m "
            "nn.exercises check {path} --lang {language}",
    },
    "ex_exists": {
        "en": "{path} exists already; it is left as it is",
        "ko": "{path} 파일이 이미 있어서 그대로 둡니다",
        "ja": "{path} は既にあるので、そのままにします",
    },
    "ex_list_title": {
        "en": "the exercises of Deep Learning from Scratch, ch. 5 (start one with python -m "
            "nn.exercises start NAME):",
        "ko": "밑바닥부터 시작하는 딥러닝 5장의 연습 문제 (시작하려면 python -m nn.exercises "
            "start 이름):",
        "ja": "ゼロから作るDeep Learning 第5章の練習問題 (始めるには python -m nn.exercises start "
            "名前):",
    },
    # python -m nn.exercises list: each exercise's layer and its section of the book
    "title_mul": {
        "en": "5.4.1  the multiplication node: x * y",
        "ko": "5.4.1  곱셈 계층: x * y",
        "ja": "5.4.1  乗算レイヤ: x * y",
    },
    "title_add": {
        "en": "5.4.2  the addition node: x + y",
        "ko": "5.4.2  덧셈 계층: x + y",
        "ja": "5.4.2  加算レイヤ: x + y",
    },
    "title_relu": {
        "en": "5.5.1  ReLU: max(0, x)",
        "ko": "5.5.1  ReLU 계층: max(0, x)",
        "ja": "5.5.1  ReLU レイヤ: max(0, x)",
    },
    "title_sigmoid": {
        "en": "5.5.2  Sigmoid: 1 / (1 + exp(-x))",
        "ko": "5.5.2  Sigmoid 계층: 1 / (1 + exp(-x))",
        "ja": "5.5.2  Sigmoid レイヤ: 1 / (1 + exp(-x))",
    },
    "title_affine": {
        "en": "5.6.2  Affine: x · W + b",
        "ko": "5.6.2  Affine 계층: x · W + b",
        "ja": "5.6.2  Affine レイヤ: x · W + b",
    },
    "title_softmax": {
        "en": "5.6.3  Softmax-with-Loss: softmax, then the cross-entropy error",
        "ko": "5.6.3  Softmax-with-Loss 계층: 소프트맥스 함수와 교차 엔트로피 오차",
        "ja": "5.6.3  Softmax-with-Loss レイヤ: ソフトマックス関数と交差エントロピー誤差",
    },
    # the exercises' hints
    "hint_bias_shape": {
        "en": "db has the right numbers in the wrong shape: sum without keepdims, db = "
            "np.sum(dout, axis=0), so that db has b's shape.",
        "ko": "db의 값은 맞지만 형상이 틀렸습니다. keepdims 없이 db = np.sum(dout, axis=0)으로 "
            "더해서 b와 같은 형상으로 만들어 주세요.",
        "ja": "db の値は正しいが形状が違います。keepdims なしで db = np.sum(dout, axis=0) "
            "と足して、b と同じ形状にしてください。",
    },
    "hint_mul": {
        "en": "multiplication hands each input dout times the other input: dx = dout * y, dy = "
            "dout * x.",
        "ko": "곱셈은 각 입력에 dout × (다른 입력)을 전달합니다: dx = dout * y, dy = dout * x.",
        "ja": "乗算は各入力に dout × (もう一方の入力) を渡します: dx = dout * y, dy = dout * x。",
    },
    "hint_add": {
        "en": "addition hands dout on unchanged to both inputs: dx = dout, dy = dout.",
        "ko": "덧셈은 dout을 그대로 두 입력에 전달합니다: dx = dout, dy = dout.",
        "ja": "加算は dout をそのまま両方の入力に渡します: dx = dout, dy = dout。",
    },
    "hint_relu": {
        "en": "dx is dout where x > 0 and 0 elsewhere: set dout[self.mask] = 0.",
        "ko": "x > 0인 곳은 dout, 나머지는 0입니다: dout[self.mask] = 0.",
        "ja": "x > 0 の所は dout、それ以外は 0 です: dout[self.mask] = 0。",
    },
    "hint_relu_zero": {
        "en": "it is wrong only where x is exactly 0. There relu'(0) = 0, as in the book, whose "
            "mask is (x <= 0), not (x < 0).",
        "ko": "x가 정확히 0인 곳에서만 틀렸습니다. 책처럼 relu'(0) = 0이므로 mask는 (x < 0)이 "
            "아니라 (x <= 0)입니다.",
        "ja": "x がちょうど 0 の所だけが誤っています。本と同じく relu'(0) = 0 なので、mask は (x "
            "< 0) ではなく (x <= 0) です。",
    },
    "hint_sigmoid": {
        "en": "the local derivative of y = sigmoid(x) is y * (1 - y), so dx = dout * y * (1 - y); "
            "dout * y alone forgets the (1 - y).",
        "ko": "y = sigmoid(x)의 국소적 미분은 y * (1 - y)이므로 dx = dout * y * (1 - y)입니다. "
            "dout * y만으로는 (1 - y)가 빠집니다.",
        "ja": "y = sigmoid(x) の局所的な微分は y * (1 - y) なので dx = dout * y * (1 - y) "
            "です。dout * y だけでは (1 - y) が抜けています。",
    },
    "hint_affine": {
        "en": "the book's formulas: dx = np.dot(dout, W.T), dW = np.dot(x.T, dout), db = "
            "np.sum(dout, axis=0).",
        "ko": "책의 식: dx = np.dot(dout, W.T), dW = np.dot(x.T, dout), db = np.sum(dout, axis=0).",
        "ja": "本の式: dx = np.dot(dout, W.T), dW = np.dot(x.T, dout), db = np.sum(dout, axis=0)。",
    },
    "hint_bias_sum": {
        "en": "the bias is added to every one of the N rows of the batch, so it feeds N additions "
            "and its gradient is the sum of their shares: db = np.sum(dout, axis=0). See "
            "autograd.paths(loss, b).",
        "ko": "편향은 배치의 N개 행 모두에 더해지므로 N개의 덧셈에 쓰이고, 기울기는 그 몫의 "
            "합입니다: db = np.sum(dout, axis=0). autograd.paths(loss, b)를 보세요.",
        "ja": "バイアスはバッチの N 行すべてに足されるので N "
            "個の加算に使われ、勾配はそれらの和です: db = np.sum(dout, "
            "axis=0)。autograd.paths(loss, b) を見てください。",
    },
    "hint_softmax": {
        "en": "dx = (y - t) / batch_size: the loss is the mean over the batch.",
        "ko": "dx = (y - t) / batch_size: 손실은 배치의 평균입니다.",
        "ja": "dx = (y - t) / batch_size: 損失はバッチの平均です。",
    },
    "hint_batch": {
        "en": "every element is {factor} times the right one, and {factor} is the batch size: the "
            "loss is the mean over the batch, so divide by batch_size.",
        "ko": "모든 원소가 올바른 값의 {factor}배이고 {factor:은} 배치 크기입니다. 손실은 배치의 "
            "평균이므로 batch_size로 나눠 주세요.",
        "ja": "すべての要素が正しい値の {factor} 倍で、{factor} "
            "はバッチサイズです。損失はバッチの平均なので batch_size で割ってください。",
    },
}


def text(lang: str, key: str, **fields: object) -> str:
    """The exercises' text ``key`` in ``lang``, with its ``{fields}`` filled in."""
    return text_in(TEXTS, lang, key, **fields)
