"""Quantizer comparison table and the greedy per-layer bit search."""

import pytest

pytest.importorskip("tensorflow")

from voxgate_train.model.kws import KWSConfig, build_kws  # noqa: E402
from voxgate_train.qat.compare import (  # noqa: E402
    format_errors,
    greedy_bit_search,
    layer_errors,
    weight_bytes,
)


def test_layer_errors_table():
    config = KWSConfig(num_classes=4, in_channels=10, width=16, blocks=((3, 1),))
    model = build_kws(config, None)
    table = layer_errors(model)
    assert list(table) == config.weight_layers
    for by_method in table.values():
        for by_bits in by_method.values():
            assert by_bits[2] > by_bits[8]
    text = format_errors(table)
    print(text)
    assert "b0_dw" in text and "lsq" in text
    qat = build_kws(config, None, qat=True)
    assert list(layer_errors(qat, methods=["minmax"], bits=[4])) == config.weight_layers


COUNTS = {"big": 10_000, "mid": 1_000, "tiny": 100}
# accuracy lost per layer at each width: "big" is robust down to 3 bits,
# "mid" breaks below 6 bits, "tiny" is mildly sensitive everywhere
LOSS = {
    "big": {8: 0, 7: 0, 6: 0, 5: 0, 4: 0.001, 3: 0.002, 2: 0.2},
    "mid": {8: 0, 7: 0.001, 6: 0.002, 5: 0.05, 4: 0.1, 3: 0.2, 2: 0.3},
    "tiny": {8: 0, 7: 0.001, 6: 0.002, 5: 0.003, 4: 0.004, 3: 0.005, 2: 0.006},
}


def toy_evaluate(calls):
    def evaluate(bits):
        calls.append(dict(bits))
        return 0.9 - sum(LOSS[k][b] for k, b in bits.items())

    return evaluate


def test_greedy_bit_search():
    calls = []
    result = greedy_bit_search(
        toy_evaluate(calls), list(COUNTS), lambda b: weight_bytes(COUNTS, b), max_drop=0.01
    )
    assert result.start_accuracy == pytest.approx(0.9)
    assert result.accuracy >= 0.9 - 0.01 - 1e-12
    assert result.bits["big"] == 3  # 2 bits would cost 0.2
    assert result.bits["mid"] == 6  # 5 bits would cost 0.05
    assert result.size == weight_bytes(COUNTS, result.bits)
    # the cheap, large layer goes first: its first four steps cost nothing
    assert [h[0] for h in result.history[:4]] == ["big"] * 4
    # every accepted step stays within the budget and lowers the size
    sizes = [weight_bytes(COUNTS, {k: 8 for k in COUNTS})] + [h[3] for h in result.history]
    assert all(a > b for a, b in zip(sizes, sizes[1:], strict=False))
    assert all(h[2] >= 0.89 - 1e-12 for h in result.history)
    assert len(calls) == len({tuple(sorted(c.items())) for c in calls})  # cached
    # one sensitivity pass plus one evaluation per step, not layers x rounds
    assert len(calls) <= 1 + 2 * len(COUNTS) * (8 - 2)


def test_greedy_bit_search_checks_the_combined_model():
    # Each layer alone may drop a bit (0.006 each), both together break the
    # budget: the search must evaluate the combination, not add up sensitivities.
    def evaluate(b):
        return 0.9 - 0.006 * sum(v < 8 for v in b.values()) - 0.1 * any(v < 7 for v in b.values())

    result = greedy_bit_search(evaluate, ["a", "b"], lambda b: sum(b.values()), max_drop=0.01)
    assert sorted(result.bits.values()) == [7, 8]
    assert result.accuracy == pytest.approx(0.894)


def test_greedy_bit_search_limits():
    result = greedy_bit_search(
        lambda b: 0.5, ["a", "b"], lambda b: sum(b.values()), start_bits=4, min_bits=3
    )
    assert result.bits == {"a": 3, "b": 3} and result.accuracy == 0.5
    result = greedy_bit_search(
        lambda b: 1.0 if b == {"a": 8} else 0.0, ["a"], lambda b: b["a"], max_drop=0.01
    )
    assert result.bits == {"a": 8} and result.history == []
