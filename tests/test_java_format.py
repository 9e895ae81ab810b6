"""Java's string forms of parsed JSON values, as they appear in Elasticsearch reasons."""

from __future__ import annotations

import pytest

from fake_es.java_format import (
    java_class_name,
    java_double_string,
    java_map_string,
    java_string,
    java_string_hash,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1.0"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (1e-4, "1.0E-4"),
        (9999999.0, "9999999.0"),
        (1e7, "1.0E7"),
        (1.5e-5, "1.5E-5"),
        (123.456, "123.456"),
        (-3.25, "-3.25"),
        (2.5e300, "2.5E300"),
        (-0.0, "-0.0"),
        (float("inf"), "Infinity"),
    ],
)
def test_double_to_string(value, expected):
    assert java_double_string(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0), ("hello", 99162322), ("num_allocations", 1906490458), ("é", 233)],
)
def test_string_hash_code(text, expected):
    assert java_string_hash(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "java.lang.Integer"),
        (2**31, "java.lang.Long"),
        (-(2**63), "java.lang.Long"),
        (2**63, "java.math.BigInteger"),
        (1.0, "java.lang.Double"),
        (True, "java.lang.Boolean"),
        ("x", "java.lang.String"),
        ({}, "java.util.HashMap"),
        ([], "java.util.ArrayList"),
    ],
)
def test_class_of_parsed_values(value, expected):
    assert java_class_name(value) == expected


def test_hash_map_iterates_by_bucket_not_insertion():
    # "a" -> bucket 1, "foo" -> 7, "baz" -> 10 in a 16-bucket table.
    assert java_string({"baz": 1, "foo": "bar", "a": True}) == "{a=true, foo=bar, baz=1}"


def test_removed_keys_leave_the_table_grown():
    # "k16" is in bucket 1 of 16 but 17 of 32; "k0" in bucket 5 of both. Thirteen keys
    # grew the table to 32 buckets, and removing eleven of them does not shrink it.
    left = {"k0": 0, "k16": 16}
    assert java_map_string(left, original_size=2) == "{k16=16, k0=0}"
    assert java_map_string(left, original_size=13) == "{k0=0, k16=16}"


def test_nested_values():
    assert java_string({"a": [1, None, {"b": 2.5}]}) == "{a=[1, null, {b=2.5}]}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Floats anywhere are written as Java's Double.toString, strings that look like
        # numbers are left alone, control characters get Jackson's upper-case escape.
        ({"a": [1e20, "1e20"], "b": "\x1b"}, b'{"a":[1.0E20,"1e20"],"b":"\\u001B"}'),
        ({"v": '"1.5', "n": [1, 2]}, b'{"v":"\\"1.5","n":[1,2]}'),
        ({"x": 0.5, "nested": {"y": 7}}, b'{"x":0.5,"nested":{"y":7}}'),
        ({"emoji": "\U0001f600"}, b'{"emoji":"\\uD83D\\uDE00"}'),
        ({"path": "C:\\u0041"}, b'{"path":"C:\\\\u0041"}'),
    ],
)
def test_json_output_is_jacksons_whichever_writer_runs(value, expected):
    from fake_es.rest.xcontent import dump_json

    assert dump_json(value) == expected
