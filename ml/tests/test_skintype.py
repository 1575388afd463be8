from __future__ import annotations

import pytest

from ml.vision.skintype import from_measures


@pytest.mark.parametrize(
    "t_shine,cheek_shine,texture,expected",
    [
        (6.0, 3.0, 1.0, "oily"),
        (6.0, 0.2, 1.0, "combination"),
        (0.2, 0.1, 3.5, "dry"),
        (1.5, 0.5, 1.0, "normal"),
        (0.2, 0.1, 1.0, "normal"),
    ],
)
def test_rules(t_shine: float, cheek_shine: float, texture: float, expected: str) -> None:
    st = from_measures(t_shine, cheek_shine, texture)
    assert st.value == expected and st.source == "measures"
    assert 0.4 <= st.confidence <= 0.75


def test_confidence_grows_away_from_the_boundary() -> None:
    near = from_measures(3.1, 2.0, 1.0)
    far = from_measures(9.0, 4.0, 1.0)
    assert near.value == far.value == "oily"
    assert far.confidence > near.confidence
