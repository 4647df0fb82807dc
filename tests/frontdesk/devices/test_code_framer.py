"""CodeFramer: terminators, partial reads, noise and overlong input."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.devices.code_framer import CodeFramer, ScanResult


def still_framer(max_length: int = 64) -> CodeFramer:
    """A framer whose clock never moves: these tests are about bytes, not pauses."""
    return CodeFramer(max_length, clock=lambda: 0.0)


def codes(results: list[ScanResult]) -> list[str | None]:
    return [result.code for result in results]


def feed_all(framer: CodeFramer, *chunks: bytes) -> list[ScanResult]:
    return [result for chunk in chunks for result in framer.feed(chunk)]


@pytest.mark.parametrize("terminator", [b"\r\n", b"\r", b"\n"], ids=["CRLF", "CR", "LF"])
def test_each_terminator_ends_a_code(terminator: bytes) -> None:
    framer = still_framer()

    results = framer.feed(b"CARD123" + terminator + b"GIFT-0042" + terminator)

    assert results == [ScanResult("CARD123"), ScanResult("GIFT-0042")]


def test_cr_and_lf_in_different_reads_give_one_code() -> None:
    framer = still_framer()

    assert framer.feed(b"CARD123\r") == [ScanResult("CARD123")]
    assert framer.feed(b"\nNEXT") == []
    assert framer.feed(b"\r") == [ScanResult("NEXT")]
    assert framer.feed(b"\n") == []


def test_mixed_terminators_in_one_read() -> None:
    assert codes(still_framer().feed(b"A\r\nB\rC\nD\r\n")) == ["A", "B", "C", "D"]


def test_a_code_split_over_several_reads() -> None:
    framer = still_framer()

    assert feed_all(framer, b"CA", b"RD", b"") == []
    assert feed_all(framer, b"12", b"3\r\n") == [ScanResult("CARD123")]


def test_one_byte_at_a_time() -> None:
    framer = still_framer()
    stream = b"CARD123\r\nGIFT-0042\r"

    results = feed_all(framer, *(stream[i : i + 1] for i in range(len(stream))))

    assert codes(results) == ["CARD123", "GIFT-0042"]


def test_unterminated_code_is_held_until_its_terminator() -> None:
    framer = still_framer()

    assert framer.feed(b"CARD123") == []
    assert framer.feed(b"\r\n") == [ScanResult("CARD123")]


def test_utf8_character_split_across_reads() -> None:
    framer = still_framer()

    assert framer.feed(b"CAF\xc3") == []
    assert framer.feed(b"\xa9\r\n") == [ScanResult("CAFé")]


def test_surrounding_whitespace_is_stripped_and_blank_lines_ignored() -> None:
    results = still_framer().feed(b"\r\n\r\n  CARD 123 \t\r\n   \r\n\n\r")

    assert results == [ScanResult("CARD 123")]


@pytest.mark.parametrize(
    "noise",
    [
        b"\x00\x00\x00",
        b"CARD\x1b[0m123",
        b"\x1dCARD123",
        b"CARD\t123",
        b"\xff\xfeCARD",
        b"CARD\xc3",
    ],
    ids=["nul", "escape-sequence", "group-separator", "inner-tab", "invalid-utf8", "cut-utf8"],
)
def test_noise_gives_an_error_not_a_code(noise: bytes) -> None:
    framer = still_framer()

    results = framer.feed(noise + b"\r\nCARD123\r\n")

    assert len(results) == 2
    assert results[0].code is None
    assert results[0].error is not None
    assert results[0].error.startswith("Unreadable scan")
    assert results[1] == ScanResult("CARD123")


def test_code_of_max_length_is_accepted() -> None:
    assert still_framer(max_length=8).feed(b"12345678\r") == [ScanResult("12345678")]


def test_terminated_code_longer_than_max_length_gives_an_error() -> None:
    framer = still_framer(max_length=8)

    results = framer.feed(b"123456789\r\nOK\r\n")

    assert codes(results) == [None, "OK"]
    assert results[0].error is not None
    assert "longer than 8 characters" in results[0].error


def test_overlong_unterminated_noise_is_reported_once_and_dropped() -> None:
    framer = still_framer(max_length=8)

    # Far more than the buffer may hold, in many reads, with no terminator.
    results = feed_all(framer, *([b"x" * 100] * 100))

    assert codes(results) == [None]
    assert results[0].error is not None
    assert results[0].error.startswith("Unreadable scan")
    # The rest of that line is discarded, not taken for a code; the next line reads normally.
    assert feed_all(framer, b"tail\r\n", b"OK\r\n") == [ScanResult("OK")]


def test_max_length_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_length"):
        CodeFramer(max_length=0)


# A code as a scanner sends it: printable characters, no surrounding blanks, not "\ufffd".
code_text = st.text(
    alphabet=st.characters(
        exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
        include_characters=" ",
        exclude_characters="\ufffd",
    ),
    min_size=1,
    max_size=64,
).filter(lambda text: text.strip() == text)

terminators = st.lists(st.sampled_from([b"\r\n", b"\r", b"\n"]), min_size=1, max_size=3).map(
    b"".join
)


def chop(stream: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *sorted({min(cut, len(stream)) for cut in cuts}), len(stream)]
    return [stream[start:end] for start, end in itertools.pairwise(bounds)]


@given(
    scanned=st.lists(st.tuples(code_text, terminators), max_size=10),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=20),
)
def test_any_codes_with_any_terminators_in_any_chunks_come_out_intact(
    scanned: list[tuple[str, bytes]], cuts: list[int]
) -> None:
    for code, _ in scanned:
        assert code.isprintable()
    stream = b"".join(code.encode() + terminator for code, terminator in scanned)
    framer = still_framer()

    results = feed_all(framer, *chop(stream, cuts))

    assert results == [ScanResult(code) for code, _ in scanned]


@given(stream=st.binary(max_size=600), cuts=st.lists(st.integers(0, 600), max_size=20))
def test_arbitrary_bytes_give_the_same_results_however_they_are_chopped(
    stream: bytes, cuts: list[int]
) -> None:
    whole = still_framer(max_length=16).feed(stream)
    chopped = feed_all(still_framer(max_length=16), *chop(stream, cuts))

    assert chopped == whole
    for result in whole:
        assert (result.code is None) != (result.error is None)
        if result.code is not None:
            assert 0 < len(result.code) <= 16


# --- silence: a partial code is dropped after a short quiet spell -----------------------------


class StepClock:
    """A monotonic clock the test moves by hand: no sleeps, no flakiness."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


IDLE = 0.15
#: The longest pause the tests make inside a code: clearly within the limit, whatever float
#: rounding does to clock differences.
WITHIN = IDLE - 0.001


def test_noise_then_silence_then_a_real_code_gives_exactly_the_real_code() -> None:
    clock = StepClock()
    framer = CodeFramer(idle_reset=IDLE, clock=clock)

    assert framer.feed(b"\x00\x1b~garbage") == []
    clock.advance(IDLE + 0.05)
    results = framer.feed(b"CARD123\r\n")

    assert results == [ScanResult("CARD123")]


def test_silence_is_measured_from_the_last_byte_not_the_first() -> None:
    clock = StepClock()
    framer = CodeFramer(idle_reset=IDLE, clock=clock)

    # A slow dribble of noise, every gap within the limit, keeps the partial frame alive...
    for _ in range(10):
        assert framer.feed(b"x") == []
        clock.advance(WITHIN)
    clock.advance(0.01)
    # ...until the line has been quiet for longer than the limit.
    assert framer.feed(b"OK\r") == [ScanResult("OK")]


def test_a_pause_just_within_the_limit_keeps_the_partial_code() -> None:
    clock = StepClock()
    framer = CodeFramer(idle_reset=IDLE, clock=clock)

    framer.feed(b"CARD")
    clock.advance(WITHIN)

    assert framer.feed(b"123\r\n") == [ScanResult("CARD123")]


def test_silence_also_ends_the_discarding_of_overlong_noise() -> None:
    clock = StepClock()
    framer = CodeFramer(max_length=8, idle_reset=IDLE, clock=clock)

    [too_long] = framer.feed(b"n" * 200)
    assert too_long.error is not None
    clock.advance(IDLE + 0.01)

    assert framer.feed(b"CARD123\r\n") == [ScanResult("CARD123")]


def test_silence_between_codes_and_empty_reads_change_nothing() -> None:
    clock = StepClock()
    framer = CodeFramer(idle_reset=IDLE, clock=clock)

    assert framer.feed(b"A\r\n") == [ScanResult("A")]
    clock.advance(60)
    assert framer.feed(b"") == []
    clock.advance(60)
    assert framer.feed(b"B\r") == [ScanResult("B")]
    # The LF of a CR LF pair that arrives after a pause is still only the end of a line.
    clock.advance(60)
    assert framer.feed(b"\nC\r\n") == [ScanResult("C")]


def test_without_idle_reset_a_partial_code_waits_for_ever() -> None:
    clock = StepClock()
    framer = CodeFramer(idle_reset=None, clock=clock)

    framer.feed(b"CARD")
    clock.advance(3600)

    assert framer.feed(b"123\r") == [ScanResult("CARD123")]


@pytest.mark.parametrize("idle_reset", [0.0, -1.0])
def test_idle_reset_must_be_positive(idle_reset: float) -> None:
    with pytest.raises(ValueError, match="idle_reset"):
        CodeFramer(idle_reset=idle_reset)


@given(
    noise=st.binary(min_size=1, max_size=300).filter(lambda b: b"\r" not in b and b"\n" not in b),
    code=code_text,
    terminator=terminators,
    cuts=st.lists(st.integers(min_value=0, max_value=300), max_size=20),
    gaps=st.lists(st.floats(min_value=0.0, max_value=WITHIN), min_size=21, max_size=21),
    silence=st.floats(min_value=IDLE + 0.001, max_value=3600),
)
def test_a_code_split_anywhere_with_pauses_within_the_limit_arrives_whole_after_noise(
    noise: bytes,
    code: str,
    terminator: bytes,
    cuts: list[int],
    gaps: list[float],
    silence: float,
) -> None:
    clock = StepClock()
    framer = CodeFramer(idle_reset=IDLE, clock=clock)
    assert [r for r in framer.feed(noise) if r.code is not None] == []
    clock.advance(silence)

    results: list[ScanResult] = []
    for chunk, gap in zip(chop(code.encode() + terminator, cuts), gaps, strict=False):
        results += framer.feed(chunk)
        clock.advance(gap)

    assert results == [ScanResult(code)]


def test_by_default_noise_is_dropped_after_a_fifth_of_a_second_but_not_a_tenth() -> None:
    clock = StepClock()
    framer = CodeFramer(clock=clock)  # the default the serial scanner uses

    framer.feed(b"CARD")
    clock.advance(0.1)
    assert framer.feed(b"123\r\n") == [ScanResult("CARD123")]

    framer.feed(b"~noise~")
    clock.advance(0.2)
    assert framer.feed(b"GIFT-0042\r\n") == [ScanResult("GIFT-0042")]
