"""The wire format: data round-trips exactly, and anything else is refused, never executed."""

from __future__ import annotations

import base64
import os

import numpy as np
import pytest

from deepgrade.grade import protocol


def roundtrip(value):
    r, w = os.pipe()
    try:
        protocol.write_message(w, value)
        return protocol.read_message(r)
    finally:
        os.close(r), os.close(w)


def decode(value):
    return protocol.decode(value, on_handle=lambda h: ("handle", h["__handle__"]))


def test_arrays_keep_dtype_shape_and_values():
    for array in [np.arange(12.0).reshape(3, 4), np.array(3.5), np.zeros((0, 2), np.int64),
                  np.array([True, False]), np.linspace(0, 1, 7, dtype=np.float32)]:
        got = decode(roundtrip(protocol.encode_array(array)))
        assert got.dtype == array.dtype and got.shape == array.shape
        np.testing.assert_array_equal(got, array)
        got[...] = 0  # decoded arrays are writable copies


def test_containers_tuples_and_non_string_keys():
    value = {"__tuple__": [1, 2.5, "x"]}
    assert decode(value) == (1, 2.5, "x")
    pairs = {"__dict__": [[1, "a"], [{"__tuple__": [0, 1]}, None]]}
    assert decode(pairs) == {1: "a", (0, 1): None}
    assert decode([{"a": [1, {"b": None}]}]) == [{"a": [1, {"b": None}]}]


def test_nan_and_infinity_survive():
    got = roundtrip([float("nan"), float("inf")])
    assert np.isnan(got[0]) and got[1] == float("inf")


@pytest.mark.parametrize("bad", [
    {"__nd__": "object", "shape": [1], "data": ""},  # object arrays could carry references
    {"__nd__": "float64", "shape": [2], "data": base64.b64encode(b"\0" * 8).decode()},
    {"__nd__": "float64", "shape": [-1], "data": ""},
    {"__pickle__": "gASVAAAAAAAAAA=="},  # unknown tags are refused, never interpreted
    {"__fn__": "import os", "name": "x"},  # the grader never accepts code
    {"__dict__": [[[1], 2]]},  # unhashable key
])
def test_malformed_or_dangerous_values_are_refused(bad):
    with pytest.raises(protocol.ProtocolError):
        decode(bad)


def test_handles_become_the_receivers_proxy():
    assert decode({"__handle__": 7, "type": "MLP", "callable": False}) == ("handle", 7)


def test_oversized_and_truncated_messages_are_errors():
    r, w = os.pipe()
    os.write(w, (protocol.MAX_MESSAGE_BYTES + 1).to_bytes(8, "big"))
    with pytest.raises(protocol.ProtocolError, match="exceeds"):
        protocol.read_message(r)
    os.write(w, (10).to_bytes(8, "big") + b"{}")
    os.close(w)
    with pytest.raises(protocol.PeerClosed):
        protocol.read_message(r)
    os.close(r)


def test_read_times_out_at_the_deadline():
    import time

    r, w = os.pipe()
    start = time.monotonic()
    with pytest.raises(protocol.PeerTimeout):
        protocol.read_message(r, deadline=time.monotonic() + 0.2)
    assert time.monotonic() - start < 2
    os.close(r), os.close(w)


def test_containers_encode_the_same_way_on_both_sides():
    item = lambda v: v * 2 if isinstance(v, int) else v  # noqa: E731
    assert protocol.encode_container((1, 2), item) == {"__tuple__": [2, 4]}
    assert protocol.encode_container({"a": 1}, item) == {"a": 2}
    # keys that are not plain strings, or that look like tags, travel as pairs
    assert protocol.encode_container({1: 1}, item) == {"__dict__": [[2, 2]]}
    assert protocol.encode_container({"__nd__": 1}, item) == {"__dict__": [["__nd__", 2]]}
    assert protocol.encode_container("text", item) is NotImplemented


def test_a_write_to_a_peer_that_stopped_reading_ends_at_the_deadline():
    import time

    r, w = os.pipe()
    os.set_blocking(w, False)
    start = time.monotonic()
    with pytest.raises(protocol.PeerTimeout):  # 2 MB: more than a pipe holds
        protocol.write_message(w, {"data": "x" * 2_000_000}, deadline=time.monotonic() + 0.3)
    assert 0.25 < time.monotonic() - start < 3
    os.close(r), os.close(w)


def test_a_write_within_the_deadline_arrives_whole():
    import threading
    import time

    r, w = os.pipe()
    os.set_blocking(w, False)
    got = []
    reader = threading.Thread(target=lambda: got.append(protocol.read_message(r)))
    reader.start()
    protocol.write_message(w, {"data": "y" * 3_000_000}, deadline=time.monotonic() + 30)
    reader.join(30)
    assert got == [{"data": "y" * 3_000_000}]
    os.close(r), os.close(w)


@pytest.mark.parametrize("payload, what", [
    ("[" + ",".join(["[]"] * (protocol.MAX_CONTAINERS + 1)) + "]", "nested lists or dicts"),
    ("[" + ",".join(["0"] * (protocol.MAX_VALUES + 2)) + "]", "values"),
    ("[" * 5000 + "]" * 5000, "nested"),
])
def test_replies_that_would_build_too_many_objects_are_refused_unparsed(payload, what):
    import time
    import tracemalloc

    raw = payload.encode()
    tracemalloc.start()
    start = time.process_time()
    with pytest.raises(protocol.TooComplex, match=what):
        protocol.parse(raw)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 10 * 1024 * 1024 and time.process_time() - start < 1


def test_decode_refuses_values_nested_deeper_than_the_limit():
    value = []
    for _ in range(protocol.MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(protocol.TooComplex):
        decode(value)
