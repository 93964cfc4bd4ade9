"""Korean particles chosen by the word before them: 기울기 1이, 2가, 사과가, 귤이.

A Korean particle has two forms, one after a final consonant (받침) and one
after a vowel: 이/가, 은/는, 을/를, 과/와, and (으)로, whose short form also
follows ㄹ (길로, 연필로). A learner's message puts names and numbers before
particles, so the choice is made from what is actually there:

* a Hangul syllable: its final consonant, from its code point;
* a number, read in Sino-Korean as Koreans read it aloud: 1 일, 2 이, 3 삼,
  6 육, 10 십, 100 백, 1000 천, 10000 만, 0 영; digits after a decimal point
  are read one by one (2.25: 이 점 이오);
* a Latin letter, read by its Korean name: l 엘, m 엠, n 엔 and r 알 end in a
  consonant, the rest (x 엑스, y 와이, b 비) in a vowel;
* closing quotes and brackets are skipped ('x' is read as x).

In a text of ``autograd.language`` a field names its particle as its format
spec: ``"{upstream:이} 완성되었습니다"`` gives "1이" and "2가", never "이(가)".
"""

from __future__ import annotations

__all__ = ["PARTICLES", "attach", "final_consonant", "particle"]

# spec -> (after a final consonant, after a vowel)
PARTICLES = {"이": ("이", "가"), "은": ("은", "는"), "을": ("을", "를"), "과": ("과", "와"),
             "으로": ("으로", "로")}

_RIEUL = 8  # ㄹ, as a final consonant index (0 is none)
# Sino-Korean digits: 영 일 이 삼 사 오 육 칠 팔 구, as final consonant indices
_DIGITS = (21, 8, 0, 16, 0, 0, 1, 8, 8, 0)
# the unit a number of k trailing zeros ends in: 십 백 천, then 만, 억, 조, 경 per 4 digits
_TENS = (17, 1, 4)  # 십 (ㅂ), 백 (ㄱ), 천 (ㄴ)
_MYRIADS = (4, 1, 0, 21)  # 만 (ㄴ), 억 (ㄱ), 조 (none), 경 (ㅇ)
_LETTERS = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}  # 엘 엠 엔 알; others end in a vowel
_CLOSING = "'\")]}>」』”’ "


def _number_final(token: str) -> int:
    whole, point, fraction = token.partition(".")
    if point:
        digits = fraction or whole  # "2." is read 이 점, as 2
        return _DIGITS[int(digits[-1])]
    if not whole.strip("0"):
        return _DIGITS[0]  # 영
    zeros = len(whole) - len(whole.rstrip("0"))
    if zeros == 0:
        return _DIGITS[int(whole[-1])]
    if zeros < 4:
        return _TENS[zeros - 1]
    return _MYRIADS[min(zeros // 4, len(_MYRIADS)) - 1]


def final_consonant(word: str) -> int:
    """The final consonant index (0: none, 8: ㄹ) of how ``word`` is read at its end."""
    text = word.rstrip(_CLOSING)
    if not text:
        return 0
    last = text[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    if last.isdigit() and last.isascii():
        start = len(text)
        while start > 0 and (text[start - 1].isdigit() or text[start - 1] == "."):
            start -= 1
        return _number_final(text[start:])  # a leading "." (".5", "v.5") reads as 0.5
    return _LETTERS.get(last.lower(), 0)


def particle(word: str, spec: str) -> str:
    """The form of particle ``spec`` (이, 은, 을, 과 or 으로) that follows ``word``."""
    with_consonant, with_vowel = PARTICLES[spec]
    final = final_consonant(word)
    if spec == "으로":
        return with_vowel if final in (0, _RIEUL) else with_consonant
    return with_consonant if final else with_vowel


def attach(word: str, spec: str) -> str:
    """``word`` and its particle: attach("사과", "이") is "사과가"."""
    return word + particle(word, spec)
