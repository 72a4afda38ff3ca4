"""Target progress, worked by hand: target value, straight-line path, on track or not."""

from __future__ import annotations

import pytest

from envledger.methods.targets import path_value, progress, target_value


def test_reduction_target_value_and_path() -> None:
    # 10.0 MWh/person in 2020, -15 % by 2025: 10 x (1 - 0.15) = 8.5
    assert target_value(10.0, 15.0) == pytest.approx(8.5)
    # straight line at 2023: 10 - (2023 - 2020) / (2025 - 2020) x (10 - 8.5) = 10 - 0.9 = 9.1
    assert path_value(10.0, 8.5, 2020, 2025, 2023) == pytest.approx(9.1)


@pytest.mark.parametrize(("latest", "on_track"), [(9.0, True), (9.1, True), (9.2, False)])
def test_on_track_is_at_or_below_the_path(latest: float, on_track: bool) -> None:
    result = progress(10.0, latest, 2020, 2025, 2023, 15.0)
    assert result.on_track is on_track
    assert result.path_value == pytest.approx(9.1)


def test_change_and_what_remains() -> None:
    result = progress(10.0, 9.0, 2020, 2025, 2023, 15.0)
    # change 9.0 - 10.0 = -1.0 (-10 %); remaining 9.0 - 8.5 = 0.5 still to reduce
    assert (result.change, result.change_pct, result.remaining) == pytest.approx(
        (-1.0, -10.0, 0.5))


def test_cap_is_on_track_at_or_below_the_base_value() -> None:
    # cap: target = path = base 18.0 t/person
    assert progress(18.0, 18.0, 2020, 2025, 2023, None).on_track
    below = progress(18.0, 17.4, 2020, 2025, 2023, None)
    assert below.on_track and below.target_value == below.path_value == 18.0
    assert not progress(18.0, 18.1, 2020, 2025, 2023, None).on_track


def test_path_is_clamped_outside_the_target_period() -> None:
    assert path_value(10.0, 8.5, 2020, 2025, 2019) == 10.0
    assert path_value(10.0, 8.5, 2020, 2025, 2027) == 8.5


def test_zero_base_has_no_percentage() -> None:
    assert progress(0.0, 1.0, 2020, 2025, 2023, 10.0).change_pct is None
