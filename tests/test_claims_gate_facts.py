"""Facts the claims extractor's cheap gates and rewritten number patterns rely on.

The speed work (probe gates, literal-first patterns) is only correct if these hold; they are
checked exhaustively or on random texts here, independent of which claims the extractor makes.
"""

from __future__ import annotations

import random
import re
import string

from analysis import therapies
from analysis.claims import probe as claim_probe
from analysis.claims.numbers import NUM, number_first


def test_case_folding_facts_the_gates_rely_on() -> None:
    """Exhaustive over code points: the facts analysis.claims.probe and analysis.therapies assume."""
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    like_letters = set(re.findall("[a-z]", chars, re.I))
    odd = {c for c in like_letters if not c.isascii()}
    assert odd == set(claim_probe._ODD) == set(therapies._ODD)
    for letter in string.ascii_lowercase:  # what ignore-case matches to a letter folds to that letter
        assert {claim_probe.fold(c) for c in like_letters if re.fullmatch(letter, c, re.I)} == {letter}
    assert re.findall("[0-9]", chars, re.I) == list(string.digits)
    assert len(chars.lower()) == len(chars) + 1 and "\u0130" in odd  # only "İ" lowers to two characters
    folded = claim_probe.fold(chars)
    assert len(folded) == len(chars)
    ascii_at = [m.start() for m in re.finditer("[\x00-\x7f]", folded)]  # come from ASCII or odd letters
    assert all(chars[i].isascii() or chars[i] in odd for i in ascii_at)
    for kind in (r"\w+", r"\s+", r"\d+"):  # folding keeps word, space and digit characters as they are
        assert [m.span() for m in re.finditer(kind, chars)] == [m.span() for m in re.finditer(kind, folded)]
    assert re.sub(r"\s", "", chars) == "".join(chars.split())  # claim_numbers.mask: \S is "not isspace"
    assert all(c == " " or not c.isprintable() for c in re.findall(r"\s", chars))  # mask: printable, no " "


def test_number_first_patterns_match_like_num() -> None:
    """``number_first`` (a number written to start at its first character) matches like NUM, and so
    does its digits-only form on any text without a number word."""
    rng = random.Random(7)
    pieces = ["1", "12", "1,234", "12,345.6", ".5", "97.9", ",", ".", "one", "ONE", "Twenty-one", "seventy  five",
              "one hundred and five", "ſix", "ſeventeen", "often", "someone", "%", " percent", " of ", " months",
              "~", "/", "x", "_", "é", " ", "\n", "-", "(", "٣", "T", "h"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(400)]
    for not_after in ("", r"\w.~", r"\w.~/%"):
        for words in (True, False):
            reference = re.compile((f"(?<![{not_after}])" if not_after else "") + f"({NUM})" + r"\s*(%|of)?")
            rewritten = re.compile(number_first(not_after, words=words, group=True) + r"\s*(%|of)?")
            for text in texts:
                if words or not claim_probe.probe(text).words:
                    assert ([(m.span(), m.groups()) for m in reference.finditer(text)]
                            == [(m.span(), m.groups()) for m in rewritten.finditer(text)]), text
