"""Serial blocks, our serial strings and Verra's: examples, then properties by brute force."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from certify.core.serials import (
    MAX_NUMBER,
    Block,
    SerialError,
    SerialPrefix,
    VerraBlock,
    covers,
    merge,
    parse_range,
    parse_serial,
    parse_verra,
    total,
)

WLY = SerialPrefix("WLY", "FS001", 2024)
VERRA = "9803-153898061-153898160-VCS-VCU-263-VER-BR-14-1115-01012013-31122013-0"


def subtract_all(blocks: Iterable[Block], target: Block) -> list[Block]:
    """What is left of each block once ``target`` is taken out, sorted.

    Pieces are per block, not joined: each comes from exactly one of ``blocks`` (so a
    caller can rewrite its rows); `merge` the result for the canonical form.
    """
    return sorted(piece for block in blocks for piece in block.subtract(target))


def pieces_for(blocks: Iterable[Block], target: Block) -> list[Block]:
    """The parts of ``target`` inside each block that it touches, sorted.

    One piece per touched block (not joined), so a retirement of ``target`` can be
    traced to the held blocks it consumes; ``total`` of the result is how much of the
    target the blocks hold, and ``covers`` says whether they hold all of it.
    """
    found = (block.intersection(target) for block in blocks)
    return sorted(piece for piece in found if piece is not None)


# --- blocks: examples ----------------------------------------------------------------


@pytest.mark.parametrize(("start", "end"), [(0, 5), (-3, 4), (5, 4), (1, 0)])
def test_a_block_needs_one_at_most_start_at_most_end(start, end):
    with pytest.raises(SerialError, match="1 ≤ start ≤ end"):
        Block(start, end)


@pytest.mark.parametrize(("start", "end"), [(1.0, 5), (1, "5"), (True, 3)])
def test_a_block_of_anything_but_whole_numbers_is_refused(start, end):
    with pytest.raises(SerialError, match="whole number"):
        Block(start, end)


def test_a_block_of_one_serial_counts_one():
    assert Block(7, 7).count == 1
    assert Block(1, 100).count == 100


def test_a_block_is_immutable_and_ordered_by_start_then_end():
    with pytest.raises(AttributeError):
        Block(1, 2).start = 3  # type: ignore[misc]
    assert sorted([Block(5, 9), Block(1, 10), Block(1, 3)]) == [
        Block(1, 3),
        Block(1, 10),
        Block(5, 9),
    ]


def test_a_block_contains_its_ends_and_the_blocks_within_it():
    block = Block(10, 20)
    assert block.contains(10) and block.contains(20) and block.contains(15)
    assert not block.contains(9) and not block.contains(21)
    assert block.contains(Block(10, 20)) and block.contains(Block(12, 13))
    assert not block.contains(Block(9, 12)) and not block.contains(Block(18, 21))


def test_blocks_sharing_one_serial_overlap_but_touching_ones_do_not():
    assert Block(1, 10).overlaps(Block(10, 20))
    assert not Block(1, 10).overlaps(Block(11, 20))
    assert Block(5, 6).overlaps(Block(1, 100))


def test_blocks_are_adjacent_only_when_touching_with_no_gap_and_no_overlap():
    assert Block(1, 10).adjacent(Block(11, 20))
    assert Block(11, 20).adjacent(Block(1, 10))
    assert not Block(1, 10).adjacent(Block(12, 20))
    assert not Block(1, 10).adjacent(Block(10, 20))


def test_the_intersection_is_the_shared_serials_or_none():
    assert Block(1, 10).intersection(Block(5, 20)) == Block(5, 10)
    assert Block(1, 10).intersection(Block(3, 4)) == Block(3, 4)
    assert Block(1, 10).intersection(Block(11, 20)) is None


@pytest.mark.parametrize(
    ("other", "pieces"),
    [
        (Block(40, 60), (Block(1, 39), Block(61, 100))),  # a hole in the middle
        (Block(1, 30), (Block(31, 100),)),  # the front
        (Block(90, 120), (Block(1, 89),)),  # the back, and beyond
        (Block(1, 100), ()),  # all of it
        (Block(101, 200), (Block(1, 100),)),  # nothing of it
    ],
)
def test_subtracting_leaves_zero_one_or_two_pieces_in_order(other, pieces):
    assert Block(1, 100).subtract(other) == pieces


def test_splitting_cuts_before_the_given_serial():
    assert Block(1, 100).split(31) == (Block(1, 30), Block(31, 100))
    assert Block(1, 100).split(100) == (Block(1, 99), Block(100, 100))


@pytest.mark.parametrize("at", [1, 0, 101, 500])
def test_splitting_at_an_end_or_outside_is_refused(at):
    with pytest.raises(SerialError, match="cannot split"):
        Block(1, 100).split(at)


def test_taking_gives_the_first_serials_and_the_rest():
    assert Block(11, 20).take(3) == (Block(11, 13), Block(14, 20))
    assert Block(11, 20).take(10) == (Block(11, 20), None)


@pytest.mark.parametrize("n", [0, -1, 11])
def test_taking_none_or_more_than_the_block_holds_is_refused(n):
    with pytest.raises(SerialError, match="cannot take"):
        Block(11, 20).take(n)


def test_merging_joins_overlapping_and_adjacent_blocks_and_sorts():
    blocks = [Block(50, 60), Block(1, 10), Block(11, 15), Block(5, 12), Block(62, 70)]
    assert merge(blocks) == [Block(1, 15), Block(50, 60), Block(62, 70)]
    assert merge([]) == []


def test_total_counts_overlapping_serials_once():
    assert total([Block(1, 10), Block(5, 14), Block(100, 100)]) == 15
    assert total([]) == 0


def test_blocks_cover_a_target_only_when_joined_they_hold_all_of_it():
    held = [Block(1, 10), Block(11, 20), Block(30, 40)]
    assert covers(held, Block(5, 15))
    assert not covers(held, Block(15, 35))
    assert not covers([], Block(1, 1))


def test_subtracting_a_target_from_held_blocks_keeps_each_blocks_remains():
    held = [Block(30, 40), Block(1, 10), Block(11, 20)]
    assert subtract_all(held, Block(5, 35)) == [Block(1, 4), Block(36, 40)]
    assert subtract_all(held, Block(100, 200)) == sorted(held)


def test_pieces_for_a_retirement_name_the_part_in_each_held_block_it_touches():
    held = [Block(30, 40), Block(1, 10), Block(11, 20), Block(50, 60)]
    assert pieces_for(held, Block(5, 35)) == [Block(5, 10), Block(11, 20), Block(30, 35)]
    assert pieces_for(held, Block(21, 29)) == []


# --- blocks: properties --------------------------------------------------------------

SMALL = 200


@st.composite
def blocks(draw: st.DrawFn, limit: int = SMALL) -> Block:
    start = draw(st.integers(1, limit))
    return Block(start, draw(st.integers(start, limit)))


block_lists = st.lists(blocks(), max_size=8)


def serials(items: list[Block] | tuple[Block, ...]) -> set[int]:
    return {n for block in items for n in range(block.start, block.end + 1)}


@given(block_lists)
def test_merge_is_idempotent(items):
    assert merge(merge(items)) == merge(items)


@given(block_lists, st.randoms(use_true_random=False))
def test_merge_does_not_depend_on_order(items, random):
    shuffled = list(items)
    random.shuffle(shuffled)
    assert merge(shuffled) == merge(items)


@given(block_lists)
def test_merged_blocks_are_sorted_disjoint_not_adjacent_and_hold_the_same_serials(items):
    merged = merge(items)
    assert serials(merged) == serials(items)
    for first, second in pairwise(merged):
        assert first.end + 1 < second.start


@given(block_lists)
def test_total_is_the_size_of_the_union(items):
    assert total(items) == len(serials(items))


@given(blocks(), blocks())
def test_block_predicates_agree_with_brute_force(a, b):
    assert a.overlaps(b) == bool(serials([a]) & serials([b]))
    assert a.contains(b) == (serials([b]) <= serials([a]))
    assert a.adjacent(b) == (not a.overlaps(b) and len(merge([a, b])) == 1)
    shared = a.intersection(b)
    assert serials([shared] if shared else []) == serials([a]) & serials([b])


@given(blocks(), blocks())
def test_subtracting_then_adding_the_intersection_gives_back_the_block(a, b):
    pieces = a.subtract(b)
    assert list(pieces) == sorted(pieces)
    assert serials(pieces) == serials([a]) - serials([b])
    shared = a.intersection(b)
    assert merge([*pieces, *([shared] if shared else [])]) == [a]


@given(blocks(), st.data())
def test_splitting_preserves_the_count_and_the_order(block, data):
    assume(block.count > 1)
    at = data.draw(st.integers(block.start + 1, block.end))
    first, second = block.split(at)
    assert first.count + second.count == block.count
    assert first.end + 1 == second.start == at
    assert merge([first, second]) == [block]


@given(blocks(), st.data())
def test_taking_preserves_the_count(block, data):
    n = data.draw(st.integers(1, block.count))
    taken, rest = block.take(n)
    assert taken.count == n and taken.start == block.start
    assert n + (rest.count if rest else 0) == block.count
    assert merge([taken, *([rest] if rest else [])]) == [block]


@given(block_lists, blocks())
def test_covers_agrees_with_brute_force(items, target):
    assert covers(items, target) == (serials([target]) <= serials(items))


@given(block_lists, blocks())
def test_pieces_and_remains_of_a_target_partition_the_held_serials(items, target):
    inside, left = pieces_for(items, target), subtract_all(items, target)
    assert serials(inside) == serials(items) & serials([target])
    assert serials(left) == serials(items) - serials([target])
    assert total(inside) + total(left) == total(items)
    assert total(inside) == target.count or not covers(items, target)


# --- our serial strings --------------------------------------------------------------


def test_a_serial_is_formatted_with_nine_digits():
    assert WLY.format(123) == "WLY-FS001-2024-000000123"
    assert WLY.format(MAX_NUMBER) == "WLY-FS001-2024-999999999"
    assert WLY.format_block(Block(1, 100)) == (
        "WLY-FS001-2024-000000001",
        "WLY-FS001-2024-000000100",
    )


@pytest.mark.parametrize("number", [0, -1, MAX_NUMBER + 1])
def test_a_number_outside_nine_digits_cannot_be_formatted(number):
    with pytest.raises(SerialError, match="outside 1–999,999,999"):
        WLY.format(number)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("W", "FS001", 2024), "programme 'W'"),
        (("wly", "FS001", 2024), "uppercase"),
        (("WLY", "FS-01", 2024), "project code"),
        (("WLY", "F", 2024), "project code"),
        (("WLY", "FS001", 1989), "vintage 1989 is outside 1990–2100"),
        (("WLY", "FS001", "2024"), "vintage must be a year"),
    ],
)
def test_a_prefix_that_could_not_be_parsed_back_is_refused(args, message):
    with pytest.raises(SerialError, match=message):
        SerialPrefix(*args)


def test_a_serial_parses_into_its_prefix_and_number():
    assert parse_serial("WLY-FS001-2024-000000123") == (WLY, 123)


def test_parsing_ignores_surrounding_space_and_case_but_gives_uppercase():
    prefix, number = parse_serial("  wly-fs001-2024-000000123\n")
    assert (prefix, number) == (WLY, 123)
    assert prefix.format(number) == "WLY-FS001-2024-000000123"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a serial is required"),
        ("   ", "a serial is required"),
        ("WLY-FS001-2024", "four parts"),
        ("WLY-FS001-2024-000000123-9", "four parts"),
        ("WLY FS001 2024 000000123", "four parts"),
        ("W-FS001-2024-000000123", "programme 'W' must be 2–8 letters or digits"),
        ("WULINGYUAN-FS001-2024-000000123", "programme"),
        ("WLY-F_01-2024-000000123", "project code 'F_01'"),
        ("WLY-FS001-24-000000123", "vintage '24' must be a 4-digit year"),
        ("WLY-FS001-3024-000000123", "vintage 3024 is outside 1990–2100"),
        ("WLY-FS001-1989-000000123", "vintage 1989 is outside 1990–2100"),
        ("WLY-FS001-2024-123", "number must be 9 digits"),
        ("WLY-FS001-2024-0000001234", "number must be 9 digits"),
        ("WLY-FS001-2024-00000012a", "number must be 9 digits"),
        ("WLY-FS001-2024-000000000", "number 0 is outside"),
        ("WLY-FS001-2024-٠٠٠٠٠٠١٢٣", "only letters, digits and dashes"),
        ("WLY-ﬁ001-2024-000000123", "only letters, digits and dashes"),
    ],
)
def test_a_malformed_serial_says_which_part_is_wrong(text, message):
    with pytest.raises(SerialError, match=message):
        parse_serial(text)


def test_a_serial_error_is_a_value_error_naming_the_field_when_asked():
    with pytest.raises(ValueError, match="vintage") as caught:
        parse_serial("WLY-FS001-3024-000000001", field="serial")
    assert isinstance(caught.value, SerialError)
    assert caught.value.field == "serial"
    assert str(caught.value) == caught.value.message == "vintage 3024 is outside 1990–2100"


def test_a_range_parses_into_its_prefix_and_block():
    assert parse_range("WLY-FS001-2024-000000011", "wly-fs001-2024-000000020") == (
        WLY,
        Block(11, 20),
    )
    assert parse_range("WLY-FS001-2024-000000005", "WLY-FS001-2024-000000005") == (WLY, Block(5, 5))


@pytest.mark.parametrize(
    "end", ["WLY-FS002-2024-000000020", "WLY-FS001-2023-000000020", "VCS-FS001-2024-000000020"]
)
def test_a_range_across_projects_or_vintages_is_refused_on_serial_end(end):
    with pytest.raises(SerialError, match="different project/vintage") as caught:
        parse_range("WLY-FS001-2024-000000011", end)
    assert caught.value.field == "serial_end"


def test_a_range_ending_before_it_starts_is_refused_on_serial_end():
    with pytest.raises(SerialError, match="serial_end comes before serial_start") as caught:
        parse_range("WLY-FS001-2024-000000011", "WLY-FS001-2024-000000010")
    assert caught.value.field == "serial_end"


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("nonsense", "WLY-FS001-2024-000000010", "serial_start"),
        ("WLY-FS001-2024-000000010", "WLY-FS001-2024-10", "serial_end"),
    ],
)
def test_a_malformed_end_of_a_range_is_named(start, end, field):
    with pytest.raises(SerialError) as caught:
        parse_range(start, end)
    assert caught.value.field == field


prefixes = st.builds(
    SerialPrefix,
    st.from_regex(r"[A-Z0-9]{2,8}", fullmatch=True),
    st.from_regex(r"[A-Z0-9]{2,12}", fullmatch=True),
    st.integers(1990, 2100),
)


@given(prefixes, st.integers(1, MAX_NUMBER))
def test_parsing_a_formatted_serial_gives_it_back(prefix, number):
    text = prefix.format(number)
    assert parse_serial(text) == (prefix, number)
    assert parse_serial(f" {text.lower()} ") == (prefix, number)


@given(prefixes, blocks(limit=MAX_NUMBER))
def test_parsing_a_formatted_range_gives_it_back(prefix, block):
    assert parse_range(*prefix.format_block(block)) == (prefix, block)


@given(st.text())
def test_any_text_is_a_serial_or_a_serial_error(text):
    try:
        prefix, number = parse_serial(text)
    except SerialError as error:
        assert error.message
        return
    assert prefix.format(number) == text.strip().upper()


serialish = st.lists(
    st.sampled_from(["WLY", "FS001", "2024", "000000123", "0", "", "x", "9999", "1989", "٣", " "]),
    max_size=6,
).map("-".join)


@given(serialish)
def test_almost_serials_are_a_serial_or_a_serial_error(text):
    try:
        prefix, number = parse_serial(text)
    except SerialError:
        return
    assert prefix.format(number) == text.strip().upper()


# --- Verra block serials -------------------------------------------------------------


def test_a_verra_block_serial_parses_into_its_parts():
    verra = parse_verra(f"  {VERRA} ")
    assert verra == VerraBlock(
        issuance="9803",
        block=Block(153898061, 153898160),
        programme="VCS",
        unit_type="VCU",
        project_id="1115",
        vintage_start=date(2013, 1, 1),
        vintage_end=date(2013, 12, 31),
        raw=VERRA,
    )
    assert verra.block.count == 100
    assert verra.vintage == 2013


def test_a_verra_serial_without_the_final_flag_still_parses():
    assert parse_verra(VERRA.rsplit("-", 1)[0]).block == Block(153898061, 153898160)


def test_a_verra_serial_in_lowercase_gives_uppercase_parts():
    verra = parse_verra(VERRA.lower())
    assert (verra.programme, verra.unit_type) == ("VCS", "VCU")


def test_the_vintage_of_a_period_across_years_is_the_year_it_ends():
    verra = parse_verra(VERRA.replace("01012013-31122013", "01072012-30062013"))
    assert verra.vintage == 2013


def replace_field(index: int, value: str) -> str:
    parts = VERRA.split("-")
    parts[index] = value
    return "-".join(parts)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a Verra serial is required"),
        ("9803-153898061-153898160-VCS-VCU", "at least 12 dash-separated fields, this has 5"),
        (replace_field(0, ""), "issuance id '' must be letters or digits"),
        (replace_field(1, "15389806x"), "block start '15389806x' is not a number"),
        (replace_field(2, ""), "block end '' is not a number"),
        (replace_field(1, "0"), "block start must be at least 1"),
        (replace_field(2, "1234567890"), "block end '1234567890' is beyond 999,999,999"),
        (replace_field(2, "153898060"), "block end 153898060 comes before block start 153898061"),
        (replace_field(3, "V C S"), "programme"),
        (replace_field(9, "P1115"), "project id 'P1115' .10th field. must be digits"),
        (replace_field(10, "0101201"), "vintage start '0101201' is not a date .DDMMYYYY."),
        (replace_field(10, "32012013"), "vintage start 32012013 is not a date"),
        (replace_field(11, "29022013"), "vintage end 29022013 is not a date"),
        (replace_field(11, "31122012"), "vintage end 31122012 comes before vintage start"),
        (replace_field(11, "31123013"), "vintage 3013 is outside 1990–2100"),
        (VERRA.replace("9803", "٩٨٠٣"), "only letters, digits and dashes"),
    ],
)
def test_a_malformed_verra_serial_says_which_part_is_wrong(text, message):
    with pytest.raises(SerialError, match=message):
        parse_verra(text)


def test_a_huge_verra_number_is_refused_without_converting_it():
    with pytest.raises(SerialError, match="beyond 999,999,999"):
        parse_verra(replace_field(2, "9" * 10_000))


@given(st.text())
def test_any_text_is_a_verra_serial_or_a_serial_error(text):
    try:
        parse_verra(text)
    except SerialError as error:
        assert error.message


verra_fields = st.one_of(
    st.from_regex(r"[0-9]{1,10}", fullmatch=True),
    st.from_regex(r"[0-3][0-9][01][0-9](19|20|21)[0-9]{2}", fullmatch=True),
    st.sampled_from(["VCS", "VCU", "", "x", "-", "0", "29022013"]),
)


@given(st.lists(verra_fields, min_size=10, max_size=14).map("-".join))
def test_almost_verra_serials_parse_consistently_or_raise_a_serial_error(text):
    try:
        verra = parse_verra(text)
    except SerialError:
        return
    assert 1 <= verra.block.start <= verra.block.end <= MAX_NUMBER
    assert verra.vintage_start <= verra.vintage_end
    assert SerialPrefix("VCS", f"VCS{verra.project_id}"[:12], verra.vintage)
