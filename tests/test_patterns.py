"""A pattern compiled when first used answers as the compiled pattern does."""

import re

from logsync.patterns import deferred


def test_a_deferred_pattern_answers_as_the_compiled_one_and_compiles_once() -> None:
    pattern = deferred(r"(\d+)\s*(ms|h)", re.IGNORECASE)
    compiled = re.compile(r"(\d+)\s*(ms|h)", re.IGNORECASE)
    assert vars(pattern) == {"_source": r"(\d+)\s*(ms|h)", "_flags": re.IGNORECASE}
    for text in ("10 MS", "3h", "h3", ""):
        found, expected = pattern.fullmatch(text), compiled.fullmatch(text)
        assert (found and found.groups()) == (expected and expected.groups())
    assert pattern.sub("<\\2>", "a 5h b 7 ms") == "a <h> b <ms>"
    assert (pattern.pattern, pattern.flags, pattern.groups) == (
        compiled.pattern, compiled.flags, compiled.groups,
    )
    kept = vars(pattern)  # each attribute used is kept: later uses cost what re's do
    assert sorted(kept) == [
        "_compiled", "_flags", "_source", "flags", "fullmatch", "groups", "pattern", "sub",
    ]
    assert kept["fullmatch"].__self__ is kept["sub"].__self__ is kept["_compiled"]
