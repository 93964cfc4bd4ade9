"""What check_engine says, in English, Korean and Japanese, keyed like autograd.language's
table (key -> {language code: text}), with the same rules: the polite register, and a
Korean particle as a field's format spec (``{rule:이}``)."""

from __future__ import annotations

from autograd.language import text_in

__all__ = ["TEXTS", "text"]

TEXTS: dict[str, dict[str, str]] = {
    "report_ok": {
        "en": "{engine}: OK. Every value and gradient agrees with chainrule's.",
        "ko": "{engine}: 통과입니다. 모든 값과 기울기가 chainrule의 답과 일치합니다.",
        "ja": "{engine}: 合格です。すべての値と勾配が chainrule の答えと一致します。",
    },
    "report_failed": {
        "en": "{engine}: {failures} finding(s) that chainrule disagrees with.",
        "ko": "{engine}: chainrule과 답이 다른 문제가 {failures}건 있습니다.",
        "ja": "{engine}: chainrule と答えが異なる問題が {failures} 件あります。",
    },
    "report_ops": {
        "en": "ops checked: {ops}; {runs} programs in {seconds} s (seed {seed}).",
        "ko": "검사한 연산: {ops}. 프로그램 {runs}개를 {seconds}초 동안 실행했습니다 "
              "(시드 {seed}).",
        "ja": "検査した演算: {ops}。{runs} 個のプログラムを {seconds} 秒で実行しました"
              "(シード {seed})。",
    },
    "report_score": {
        "en": "score: {passed} of {total} rules and properties pass.",
        "ko": "점수: 규칙과 성질 {total}개 중 {passed}개를 통과했습니다.",
        "ja": "得点: 規則と性質 {total} 個のうち {passed} 個に合格しました。",
    },
    "why_value": {
        "en": "the forward value of {op} is wrong: {node} should be {expected}, but your "
              "engine gives {actual}.",
        "ko": "{op}의 순전파 값이 틀렸습니다. {node}의 올바른 값은 {expected}인데, 엔진은 "
              "{actual:을} 줍니다.",
        "ja": "{op} の順伝播の値が違います。{node} は {expected} のはずですが、"
              "エンジンは {actual} を返します。",
    },
    "why_rule": {
        "en": "the local derivative {rule} is wrong: the gradient of {node} should be "
              "{expected}, but your engine gives {actual}.",
        "ko": "국소 미분 {rule:이} 틀렸습니다. {node}의 올바른 기울기는 {expected}인데, "
              "엔진은 {actual:을} 줍니다.",
        "ja": "局所微分 {rule} が違います。{node} の勾配は {expected} のはずですが、"
              "エンジンは {actual} を返します。",
    },
    "why_second_order": {
        "en": "the second derivative {rule} is wrong: it should be {expected} at {node}, but "
              "your engine gives {actual}. The first derivative is right as a number but "
              "wrong as a function: does your backward use a value it detached?",
        "ko": "2계 미분 {rule:이} 틀렸습니다. {node}에서 올바른 값은 {expected}인데, 엔진은 "
              "{actual:을} 줍니다. 1계 미분이 숫자로는 맞지만 함수로는 틀립니다. backward가 "
              "떼어 낸(detach) 값을 쓰고 있지 않은지 확인해 주세요.",
        "ja": "2階微分 {rule} が違います。{node} での正しい値は {expected} ですが、"
              "エンジンは {actual} を返します。1階微分は数としては正しいのですが、関数として"
              "違います。backward が切り離した(detach した)値を使っていないか確かめて"
              "ください。",
    },
    "why_rule_in_program": {
        "en": "the local derivative {rule} is wrong in this program: {consumer}'s gradient is "
              "right, but the share it hands to {node} is not ({node}'s gradient should be "
              "{expected}, your engine gives {actual}).",
        "ko": "이 프로그램에서 국소 미분 {rule:이} 틀렸습니다. {consumer}의 기울기는 맞지만 "
              "{node}에 넘기는 몫이 틀렸습니다 ({node}의 올바른 기울기는 {expected}인데, "
              "엔진은 {actual:을} 줍니다).",
        "ja": "このプログラムでは局所微分 {rule} が違います。{consumer} の勾配は正しいのに、"
              "{node} に渡す分が違います({node} の勾配は {expected} のはずですが、"
              "エンジンは {actual} を返します)。",
    },
    "why_accumulation": {
        "en": "{node} is used {uses} times, so its gradient is the sum of {uses} shares, "
              "{expected}; your engine gives {actual}. A gradient must be added up (+=), "
              "not overwritten (=).",
        "ko": "{node:은} {uses}번 쓰이므로 기울기는 몫 {uses}개의 합인 {expected}인데,"
              " 엔진은 {actual:을} 줍니다. 기울기는 덮어쓰지(=) 말고 더해 주세요(+=).",
        "ja": "{node} は {uses} 回使われるので、勾配は {uses} 個の分の和 {expected} のはず"
              "ですが、エンジンは {actual} を返します。勾配は上書き(=)せず、足してください"
              "(+=)。",
    },
    "why_order": {
        "en": "{consumer} is used {uses} times and its own gradient ends right, but it handed "
              "its gradient on before every share had arrived: {node}'s gradient should be "
              "{expected}, your engine gives {actual}. Walk the nodes in topological order, "
              "each node after every node that uses it.",
        "ko": "{consumer:은} {uses}번 쓰이고 자신의 기울기는 결국 맞지만, 몫이 다 오기 전에 "
              "기울기를 넘겼습니다. {node}의 올바른 기울기는 {expected}인데, 엔진은 "
              "{actual:을} 줍니다. 노드를 위상 순서로, 그 노드를 쓰는 노드들이 모두 끝난 뒤에 "
              "처리해 주세요.",
        "ja": "{consumer} は {uses} 回使われ、自身の勾配は最後には正しいのですが、分がすべて"
              "届く前に勾配を渡しました。{node} の勾配は {expected} のはずですが、"
              "エンジンは {actual} を返します。ノードはトポロジカル順に、それを使うノードが"
              "すべて済んでから処理してください。",
    },
    "why_crash": {
        "en": "your engine raised {error}{where}.",
        "ko": "엔진이 {error}{where} 오류를 냈습니다.",
        "ja": "エンジンが {error}{where} を送出しました。",
    },
    "why_timeout": {
        "en": "your engine did not finish this program: {seconds}.",
        "ko": "엔진이 이 프로그램을 끝내지 못했습니다: {seconds}.",
        "ja": "エンジンがこのプログラムを終えませんでした: {seconds}。",
    },
    "why_ladder": {
        "en": "your backward did not finish a ladder of {rungs} rungs in {seconds} s: it has "
              "2^{rungs} paths, so a walk that follows each path never ends. Visit each node "
              "once, in topological order.",
        "ko": "backward가 {rungs}단 사다리를 {seconds}초 안에 끝내지 못했습니다. 경로가 "
              "2^{rungs}개라서 경로마다 따라가면 끝나지 않습니다. 노드마다 한 번씩, 위상 순서로 "
              "방문해 주세요.",
        "ja": "backward が {rungs} 段のはしごを {seconds} 秒で終えませんでした。経路が "
              "2^{rungs} 本あるので、経路ごとにたどると終わりません。各ノードを一度ずつ、"
              "トポロジカル順に訪れてください。",
    },
    "why_recursion": {
        "en": "backward fails with RecursionError on a chain {depth} steps deep: a recursive "
              "walk meets Python's recursion limit (micrograd's does at about 1,000). A loop "
              "with a stack has no such limit.",
        "ko": "깊이 {depth}단계의 사슬에서 backward가 RecursionError로 실패합니다. 재귀로 "
              "도는 방식은 파이썬의 재귀 한도에 걸립니다(micrograd는 약 1,000에서). 스택과 "
              "반복문을 쓰면 이런 한도가 없습니다.",
        "ja": "深さ {depth} 段の鎖で backward が RecursionError で失敗します。再帰による"
              "走査は Python の再帰上限に当たります(micrograd は約 1,000 で)。スタックと"
              "ループを使えばこの上限はありません。",
    },
    "why_exit": {
        "en": "your engine called sys.exit while running this program ({detail}).",
        "ko": "이 프로그램을 실행하는 중에 엔진이 sys.exit를 불렀습니다 ({detail}).",
        "ja": "このプログラムの実行中にエンジンが sys.exit を呼びました({detail})。",
    },
    "why_globals": {
        "en": "your engine changed Python's own functions while running this program: "
              "{detail}.",
        "ko": "이 프로그램을 실행하는 중에 엔진이 파이썬의 함수를 바꿨습니다: {detail}.",
        "ja": "このプログラムの実行中にエンジンが Python の関数を書き換えました: {detail}。",
    },
    "why_printed": {
        "en": "your engine printed {detail} characters while running this program.",
        "ko": "이 프로그램을 실행하는 중에 엔진이 {detail}자를 출력했습니다.",
        "ja": "このプログラムの実行中にエンジンが {detail} 文字を出力しました。",
    },
    "why_twice_accumulates": {
        "en": "a second backward() adds to the gradients: x0.grad is {actual} after two "
              "(6.0 after one), and the inner node x1's is {inner} (2.0 after one), as "
              "PyTorch adds to a leaf's: zero them between steps.",
        "ko": "backward()를 두 번 부르면 기울기가 더해집니다. 두 번 뒤 x0.grad는 {actual}"
              "(한 번이면 6.0), 안쪽 노드 x1의 기울기는 {inner}(한 번이면 2.0)입니다. "
              "PyTorch도 잎 노드에는 더합니다. 단계 사이에 기울기를 0으로 되돌려 주세요.",
        "ja": "backward() を二度呼ぶと勾配が足されます。二度の後 x0.grad は {actual}"
              "(一度なら 6.0)、内側のノード x1 の勾配は {inner}(一度なら 2.0)です。"
              "PyTorch も葉には足します。ステップの間に勾配を 0 に戻してください。",
    },
    "why_twice_resets": {
        "en": "a second backward() gives the same gradients again: x0.grad is {actual} after "
              "two, and the inner node x1's is {inner} (6.0 and 2.0 after one): your engine "
              "starts each backward from zero.",
        "ko": "backward()를 두 번 불러도 같은 기울기가 나옵니다. 두 번 뒤 x0.grad는 "
              "{actual}, 안쪽 노드 x1의 기울기는 {inner}입니다(한 번이면 6.0과 2.0). "
              "엔진이 backward마다 0에서 시작합니다.",
        "ja": "backward() を二度呼んでも同じ勾配になります。二度の後 x0.grad は {actual}、"
              "内側のノード x1 の勾配は {inner} です(一度なら 6.0 と 2.0)。エンジンは "
              "backward ごとに 0 から始めます。",
    },
    "why_twice_inner_kept": {
        "en": "a second backward() gives x0.grad {actual}, not 12.0: the inner node x1 kept "
              "its gradient from the first backward (2.0), so the second hands on 2.0 + 2.0 "
              "and x0 gets 6.0 + 12.0. micrograd does this too (its issues #53 and #54): "
              "zero every node's gradient before a backward, not only the leaves'.",
        "ko": "backward()를 두 번 부르면 x0.grad가 12.0이 아니라 {actual}입니다. 안쪽 노드 "
              "x1이 첫 backward의 기울기(2.0)를 그대로 갖고 있어서, 두 번째에 2.0 + 2.0을 "
              "넘기고 x0은 6.0 + 12.0을 받습니다. micrograd도 이렇습니다(이슈 #53, #54). "
              "backward 전에 잎 노드뿐 아니라 모든 노드의 기울기를 0으로 되돌려 주세요.",
        "ja": "backward() を二度呼ぶと x0.grad は 12.0 ではなく {actual} です。内側のノード "
              "x1 が一度目の勾配(2.0)を持ったままなので、二度目に 2.0 + 2.0 を渡し、x0 は "
              "6.0 + 12.0 を受け取ります。micrograd も同じです(issue #53、#54)。backward "
              "の前に、葉だけでなくすべてのノードの勾配を 0 に戻してください。",
    },
    "why_twice_other": {
        "en": "after a second backward(), x0.grad is {actual} and the inner node x1's is "
              "{inner}: neither the sum of both (12.0) nor one backward's gradient (6.0).",
        "ko": "backward()를 두 번 부른 뒤 x0.grad는 {actual}, 안쪽 노드 x1의 기울기는 "
              "{inner}입니다. 두 번의 합(12.0)도, 한 번의 기울기(6.0)도 아닙니다.",
        "ja": "backward() を二度呼んだ後、x0.grad は {actual}、内側のノード x1 の勾配は "
              "{inner} です。二度の和(12.0)でも、一度の勾配(6.0)でもありません。",
    },
    "why_kink": {
        "en": "the slope of {op} at its kink (0) is {actual} in your engine and {expected} in "
              "chainrule; both are used (PyTorch takes 0).",
        "ko": "꺾이는 점(0)에서 {op}의 기울기가 엔진에서는 {actual}, chainrule에서는 "
              "{expected}입니다. 둘 다 쓰입니다(PyTorch는 0).",
        "ja": "折れ目(0)での {op} の傾きは、エンジンでは {actual}、chainrule では {expected} "
              "です。どちらも使われます(PyTorch は 0)。",
    },
    "cmd_description": {
        "en": "Check autograd engines against chainrule's values and gradients: a "
              "micrograd-style class (module:Class, path/engine.py[:Class]) or a program "
              "speaking the JSON-lines protocol (cmd:COMMAND).",
        "ko": "autograd 엔진의 값과 기울기를 chainrule의 답과 비교합니다. micrograd 같은 "
              "클래스(module:Class, path/engine.py[:Class])나 JSON 줄 프로토콜로 말하는 "
              "프로그램(cmd:COMMAND)을 주세요.",
        "ja": "autograd エンジンの値と勾配を chainrule の答えと比べます。micrograd のような"
              "クラス(module:Class、path/engine.py[:Class])か、JSON 行プロトコルで話す"
              "プログラム(cmd:COMMAND)を指定してください。",
    },
    "cmd_engines": {
        "en": "one engine, or several (a class's submissions): one row each",
        "ko": "엔진 하나, 또는 여러 개(한 반의 제출물). 여러 개면 엔진마다 한 줄입니다",
        "ja": "エンジン一つ、または複数(クラスの提出物)。複数ならエンジンごとに一行です",
    },
    "cmd_json": {"en": "print the report as JSON", "ko": "보고서를 JSON으로 출력합니다",
                 "ja": "報告を JSON で出力します"},
    "cmd_examples": {
        "en": "hypothesis examples per rule, and for the engine as a whole",
        "ko": "규칙마다, 그리고 엔진 전체에 쓰는 hypothesis 예제 수",
        "ja": "規則ごと、およびエンジン全体に使う hypothesis の例の数",
    },
    "cmd_seed": {"en": "hypothesis' seed, to repeat a check",
                 "ko": "검사를 되풀이할 때 쓰는 hypothesis 시드",
                 "ja": "検査を繰り返すための hypothesis のシード"},
    "cmd_timeout": {"en": "seconds one program may take", "ko": "프로그램 하나에 주는 초",
                    "ja": "プログラム一つに与える秒数"},
    "cmd_memory": {"en": "megabytes the engine's process may use",
                   "ko": "엔진 프로세스가 쓸 수 있는 메가바이트",
                   "ja": "エンジンのプロセスが使えるメガバイト"},
    "cmd_jobs": {"en": "engines checked at once", "ko": "동시에 검사할 엔진 수",
                 "ja": "同時に検査するエンジンの数"},
    "cmd_positive": {"en": "{option} must be a positive number",
                     "ko": "{option}에는 양수를 주세요",
                     "ja": "{option} には正の数を指定してください"},
    "cmd_progress": {"en": "checked {done} of {total}: {engine}",
                     "ko": "{total}개 중 {done}개 검사함: {engine}",
                     "ja": "{total} 個中 {done} 個を検査: {engine}"},
    "cmd_not_loaded": {"en": "not loaded: {reason}", "ko": "불러오지 못함: {reason}",
                       "ja": "読み込めません: {reason}"},
}


def text(lang: str, key: str, **fields: object) -> str:
    """The text ``key`` in ``lang``, with its ``{fields}`` filled in."""
    return text_in(TEXTS, lang, key, **fields)
