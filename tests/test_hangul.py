"""Korean particles fit the word before them, and no Korean or Japanese text is English."""

import re
import unicodedata

import pytest
from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_languages import ALL_TEXTS

from autograd import cli
from autograd.hangul import attach, final_consonant, particle
from autograd.language import text
from nn.exercises.texts import text as exercise_text

# An independent reading, checked through Unicode's own decomposition (NFD), not through
# the code-point arithmetic the module uses.
DIGITS = "영일이삼사오육칠팔구"
TENS = ["", "십", "백", "천"]
MYRIADS = ["", "만", "억", "조", "경"]


def sino_korean(n: int) -> str:
    """1234 -> 천이백삼십사, 10 -> 십, 100000 -> 십만, 0 -> 영: as Koreans read it aloud."""
    if n == 0:
        return "영"
    words, myriad = [], 0
    while n:
        n, group = divmod(n, 10_000)
        if group:
            part = ""
            for place in range(3, -1, -1):
                digit = group // 10 ** place % 10
                if digit:
                    part += ("" if digit == 1 and place else DIGITS[digit]) + TENS[place]
            words.insert(0, part + MYRIADS[myriad])
        myriad += 1
    return "".join(words)


def ends_in_consonant(reading: str) -> tuple[bool, bool]:
    """(a final consonant, it is ㄹ), from the decomposed last syllable."""
    jamo = unicodedata.normalize("NFD", reading[-1])
    return len(jamo) == 3, len(jamo) == 3 and jamo[-1] == "\u11af"


def expected(reading: str, spec: str) -> str:
    consonant, rieul = ends_in_consonant(reading)
    pairs = {"이": "이가", "은": "은는", "을": "을를", "과": "과와"}
    if spec == "으로":
        return "으로" if consonant and not rieul else "로"
    return pairs[spec][0 if consonant else 1]


SPECS = st.sampled_from(["이", "은", "을", "과", "으로"])


@settings(max_examples=examples(500))
@given(st.integers(0, 18), st.integers(0, 20), st.integers(0, 27), SPECS,
       st.text(alphabet="사과귤값 ", max_size=4))
def test_after_any_hangul_syllable_the_particle_follows_its_final_consonant(cho, jung, jong,
                                                                            spec, before):
    syllable = chr(0xAC00 + (cho * 21 + jung) * 28 + jong)
    assert particle(before + syllable, spec) == expected(syllable, spec)


@settings(max_examples=examples(500))
@given(st.integers(0, 10**17), SPECS)
def test_after_any_whole_number_the_particle_follows_its_sino_korean_reading(n, spec):
    assert particle(str(n), spec) == expected(sino_korean(n), spec)
    assert particle(f"-{n}", spec) == expected(sino_korean(n), spec)  # 마이너스 ...


@settings(max_examples=examples(300))
@given(st.integers(0, 10**6), st.text(alphabet="0123456789", min_size=1, max_size=8), SPECS)
def test_after_a_decimal_the_particle_follows_its_last_digit_read_alone(whole, fraction, spec):
    assert particle(f"{whole}.{fraction}", spec) == expected(DIGITS[int(fraction[-1])], spec)


@pytest.mark.parametrize(("word", "spec", "joined"), [
    ("기울기 1", "이", "기울기 1이"), ("2", "이", "2가"), ("사과", "이", "사과가"),
    ("귤", "이", "귤이"), ("10", "은", "10은"), ("1.1", "으로", "1.1로"), ("3", "으로", "3으로"),
    ("220.00000000000003", "이", "220.00000000000003이"), ("2.2", "을", "2.2를"),
    ("650", "과", "650과"), ("x", "이", "x가"), ("n", "은", "n은"), ("nan", "이", "nan이"),
    ("'x'", "은", "'x'는"), ("'n'", "은", "'n'은"), ("relu(x)", "을", "relu(x)를"),
    ("소비세", "와", None), ("", "이", "가"),
])
def test_the_book_s_words_and_numbers(word, spec, joined):
    if joined is None:
        with pytest.raises(KeyError):
            attach(word, spec)  # 와 is not a spec: 과 is, and picks 과 or 와
        return
    assert attach(word, spec) == joined


def test_a_field_s_particle_is_its_format_spec():
    assert text("ko", "anim_step", i=1, node="가격", op="×", upstream="2", handed="…").startswith(
        "1단계: 가격 (×)의 기울기 2가 완성되었습니다.")
    assert text("ko", "anim_step", i=1, node="가격", op="×", upstream="1", handed="…").startswith(
        "1단계: 가격 (×)의 기울기 1이 완성되었습니다.")


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_no_text_hedges_a_particle(lang):
    for key, texts in ALL_TEXTS.items():
        said = texts[lang]
        assert not re.search(r"\((으|이|은|을|과|와|가|는|를)\)", said), (key, said)


def test_a_particle_after_a_field_is_always_chosen_by_its_spec():
    # "{seed}로" would say "0로" where Korean says "0으로": a particle after a field must
    # be the field's spec, "{seed:으로}"
    for key, texts in ALL_TEXTS.items():
        korean = texts["ko"]
        bare = re.findall(r"\{[^}:]*\}(?:으로|이|가|은|는|을|를|과|와|로)(?![가-힣])", korean)
        assert bare == [], (key, bare)
    assert exercise_text("ko", "ex_seed", seed=0).endswith("--seed 0으로 다시 볼 수 있습니다")
    assert exercise_text("ko", "ex_seed", seed=2).endswith("--seed 2로 다시 볼 수 있습니다")


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_no_english_prose_in_korean_or_japanese(lang):
    # a word of 3 or more Latin letters is code (a name, an option, a function) only if the
    # other language's text of the same key has it too: prose would be translated there
    other = "ja" if lang == "ko" else "ko"
    title = {"Deep", "Learning"}  # the Japanese edition's own title: ゼロから作るDeep Learning
    for key, texts in ALL_TEXTS.items():
        mine, theirs = texts[lang], texts[other]
        for word in re.findall(r"[A-Za-z_]{3,}", re.sub(r"\{[^}]*\}", "", mine)):
            assert word in theirs or word in title, (key, word, mine)


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_the_help_has_no_english_but_code(lang, capsys):
    with pytest.raises(SystemExit):
        cli.main(["--lang", lang, "--help"])
    out = capsys.readouterr().out
    code = {"chainrule", "apple", "orange", "tax", "out", "shop", "svg", "png", "pdf", "dot",
            "help", "output", "show", "data", "grad", "both", "rankdir", "explain", "lang",
            *cli.FUNCTIONS}
    words = set(re.findall(r"[A-Za-z_]{3,}", out)) - code
    assert words == set(), words


@pytest.mark.parametrize(("word", "final"), [
    ("0", 21), ("10", 17), ("100", 1), ("1000", 4), ("10000", 4), ("2.0", 21), ("2.5", 0),
    ("2.", 0), ("6", 1), ("", 0), ("'", 0), ("가", 0), ("각", 1), ("힣", 27), ("'n'", 4),
    ("L", 8), ("x", 0),
])
def test_the_final_consonant_itself(word, final):
    # particle() only tells consonant, ㄹ and vowel apart: the index itself is exact too
    from autograd.hangul import final_consonant

    assert final_consonant(word) == final


def test_only_the_number_at_the_end_of_a_word_is_read():
    # "x00" ends in the number 00, read 영; a letter before it is not part of the number
    # (read together, "x00" would be 백)
    assert final_consonant("x00") == final_consonant("영") != final_consonant("백")
    assert final_consonant("a.b00") == final_consonant("영")
    assert final_consonant("ver.2") == final_consonant("이") == 0


def test_a_number_is_read_whole_up_to_its_start_and_its_decimals_digit_by_digit():
    young = final_consonant("영")
    assert final_consonant("x = 00") == young  # 영, not 백 (100)
    assert final_consonant("x = 1.50") == young  # 일 점 오 영, not 오십
    assert final_consonant("x = 100") == final_consonant("백")
    assert final_consonant("v3 = 10") == final_consonant("십")
    assert final_consonant("x = .0") == young and final_consonant("v.5") == final_consonant("오")
