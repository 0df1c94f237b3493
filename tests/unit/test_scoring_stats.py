"""The statistics helpers: hand-computed values, and cross-checks against scipy."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sp

from scoring.stats import (
    Summary,
    alpha_from_sums,
    cronbach_alpha,
    hedges_g,
    holm,
    mann_whitney_p,
    ratio_summary,
    summarize,
    t_cdf,
    t_interval,
    t_quantile,
    welch,
)


def arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


# -- the t distribution -----------------------------------------------------------------------

DFS = [1, 1.5, 2, 2.7, 3, 4, 5, 9.3, 10, 29, 30, 63.9, 64, 64.5, 100, 1234.5, 1e4, 1e5, 2e5, 1e6]
# Not too close to 1/2: there scipy's own t.ppf loses digits (see the closed forms below).
PS = [0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 1e-6, 0.025, 0.3]


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize("p", PS)
def test_t_quantile_matches_scipy(df: float, p: float) -> None:
    assert t_quantile(p, df) == pytest.approx(sp.t.ppf(p, df), rel=1e-9)


@pytest.mark.parametrize(
    ("df", "expected"),
    # Printed tables of t(0.975, df).
    [
        (1, 12.706204736),
        (2, 4.302652730),
        (3, 3.182446305),
        (4, 2.776445105),
        (10, 2.228138852),
        (30, 2.042272456),
        (120, 1.979930405),
    ],
)
def test_t_quantile_matches_printed_tables(df: float, expected: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize("x", [-40.0, -3.0, -0.5, 0.0, 1e-6, 0.7, 2.0, 8.0])
def test_t_cdf_matches_scipy(df: float, x: float) -> None:
    assert t_cdf(x, df) == pytest.approx(sp.t.cdf(x, df), rel=1e-9, abs=1e-300)


def _closed_form(p: float, df: int) -> float:
    """Return the t quantile from its closed forms for 1, 2 and 4 degrees of freedom."""
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    alpha = 4 * p * (1 - p)
    q = math.cos(math.acos(math.sqrt(alpha)) / 3) / math.sqrt(alpha)
    return math.copysign(2 * math.sqrt(q - 1), p - 0.5)


@pytest.mark.parametrize("df", [1, 2, 4])
@pytest.mark.parametrize("p", [0.51, 0.7, 0.975, 0.9999, 0.3, 1e-5])
def test_t_quantile_matches_closed_forms(df: int, p: float) -> None:
    assert t_quantile(p, df) == pytest.approx(_closed_form(p, df), rel=1e-8)


@pytest.mark.parametrize("df", [1, 2, 4, 7.5, 30, 1e4])
def test_t_quantile_next_to_the_median(df: float) -> None:
    # P(T ≤ x) = ½ + x·f(0) + O(x³), f(0) = Γ((ν+1)/2) / (√(νπ) Γ(ν/2)): the closed form for
    # df = 4 and scipy both lose digits here, this does not.
    density = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    assert t_quantile(0.5 + 1e-7, df) == pytest.approx(1e-7 / density, rel=1e-9)


def test_t_quantile_is_symmetric_and_zero_at_the_median() -> None:
    assert t_quantile(0.5, 7) == 0.0
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7), rel=1e-14)
    assert t_quantile(0.25, 7) == -t_quantile(0.75, 7)


@pytest.mark.parametrize(("p", "df"), [(0.0, 3), (1.0, 3), (0.5, 0), (0.9, -1), (0.9, math.nan)])
def test_t_quantile_refuses_impossible_arguments(p: float, df: float) -> None:
    with pytest.raises(ValueError, match="t quantile"):
        t_quantile(p, df)


# -- one sample -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "n", "mean", "sd"),
    [
        ((), 0, None, None),
        ((3.0,), 1, 3.0, None),
        ((1.0, 2.0, 3.0), 3, 2.0, 1.0),
        ((2.0, 2.0, 2.0, 2.0), 4, 2.0, 0.0),
        ((1.0, 4.0), 2, 2.5, math.sqrt(4.5)),
    ],
)
def test_summarize(values: tuple[float, ...], n: int, mean: float | None, sd: float | None) -> None:
    summary = summarize(arr(*values))
    assert summary.n == n
    assert summary.mean == (None if mean is None else pytest.approx(mean))
    assert summary.sd == (None if sd is None else pytest.approx(sd))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(1, 5), min_size=2, max_size=40))
def test_t_interval_matches_scipy(values: list[float]) -> None:
    x = arr(*values)
    summary = summarize(x)
    interval = t_interval(summary)
    assert interval is not None
    assert summary.mean is not None
    assert summary.sd is not None
    if summary.sd == 0:
        assert interval == (summary.mean, summary.mean)
        return
    low, high = sp.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=sp.sem(x))
    assert interval[0] == pytest.approx(low, rel=1e-9, abs=1e-12)
    assert interval[1] == pytest.approx(high, rel=1e-9, abs=1e-12)


def test_t_interval_needs_two_values() -> None:
    assert t_interval(summarize(arr(4.0))) is None


# -- two samples ------------------------------------------------------------------------------


def test_welch_by_hand() -> None:
    # x = 1, 2, 3 (var 1); y = 2, 3, 4, 5 (var 5/3): se² = 1/3 + 5/12 = 3/4,
    # df = (3/4)² / ((1/3)²/2 + (5/12)²/3) = 0.5625 / (1/18 + 25/432) = 4.959183673...
    result = welch(summarize(arr(1, 2, 3)), summarize(arr(2, 3, 4, 5)))
    assert result is not None
    assert result.difference == pytest.approx(1.5)
    assert result.se == pytest.approx(math.sqrt(0.75))
    assert result.df == pytest.approx(0.5625 / (1 / 18 + 25 / 432))
    half = t_quantile(0.975, result.df) * math.sqrt(0.75)
    assert (result.ci_low, result.ci_high) == pytest.approx((1.5 - half, 1.5 + half))


def test_welch_without_spread_has_no_interval() -> None:
    result = welch(summarize(arr(2, 2, 2)), summarize(arr(3, 3, 3)))
    assert result is not None
    assert (result.difference, result.df, result.ci_low, result.ci_high) == (1.0, None, None, None)


samples = st.lists(st.integers(1, 5).map(float), min_size=3, max_size=30)


@settings(max_examples=150, deadline=None)
@given(samples, samples)
def test_welch_matches_scipy(x: list[float], y: list[float]) -> None:
    result = welch(summarize(arr(*x)), summarize(arr(*y)))
    assert result is not None
    if result.se == 0:
        return
    with warnings.catch_warnings():  # scipy warns when one sample has (almost) no spread
        warnings.simplefilter("ignore", RuntimeWarning)
        reference = sp.ttest_ind(y, x, equal_var=False)
        interval = reference.confidence_interval(0.95)
    assert result.df == pytest.approx(reference.df, rel=1e-9)
    assert result.ci_low == pytest.approx(interval.low, rel=1e-9, abs=1e-12)
    assert result.ci_high == pytest.approx(interval.high, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        # s_p² = (2·1 + 3·5/3)/5 = 1.4; d = 1.5/√1.4; J = 1 − 3/(4·7 − 9) = 16/19
        ((1, 2, 3), (2, 3, 4, 5), 1.5 / math.sqrt(1.4) * 16 / 19),
        # equal samples: g = 0
        ((1, 2, 3), (1, 2, 3), 0.0),
        # s_p² = (1·2 + 1·2)/2 = 2; d = −2/√2; J = 1 − 3/(16 − 9) = 4/7
        ((3, 5), (1, 3), -2 / math.sqrt(2) * 4 / 7),
        # no spread at all: undefined
        ((2, 2, 2), (4, 4, 4), None),
    ],
)
def test_hedges_g(x: tuple[float, ...], y: tuple[float, ...], expected: float | None) -> None:
    g = hedges_g(summarize(arr(*x)), summarize(arr(*y)))
    assert g == (None if expected is None else pytest.approx(expected))


def test_mann_whitney_by_hand() -> None:
    # Ranks of 1 2 2 3 3 4 5: 1, 2.5, 2.5, 4.5, 4.5, 6, 7. R₁ = 1 + 2.5 + 4.5 = 8, U₁ = 2,
    # σ² = 3·4/12 · (8 − 12/42), z = (|2 − 6| − ½)/σ.
    z = 3.5 / math.sqrt(8 - 12 / 42)
    expected = math.erfc(z / math.sqrt(2))
    assert mann_whitney_p(arr(1, 2, 3), arr(2, 3, 4, 5)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [((3, 3, 3), (3, 3, 3, 3), 1.0), ((1, 2, 3), (1, 2, 3), 1.0), ((), (1, 2), None)],
)
def test_mann_whitney_edges(
    x: tuple[float, ...], y: tuple[float, ...], expected: float | None
) -> None:
    assert mann_whitney_p(arr(*x), arr(*y)) == expected


@settings(max_examples=150, deadline=None)
@given(samples, samples)
def test_mann_whitney_matches_scipy(x: list[float], y: list[float]) -> None:
    reference = sp.mannwhitneyu(
        x, y, alternative="two-sided", method="asymptotic", use_continuity=True
    )
    p = mann_whitney_p(arr(*x), arr(*y))
    assert p == pytest.approx(reference.pvalue, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        ([], []),
        ([0.2], [0.2]),
        # sorted 0.01·4 = 0.04; 0.03·3 = 0.09; 0.04·2 = 0.08 → 0.09 (monotone); 0.5·1
        ([0.01, 0.04, 0.03, 0.5], [0.04, 0.09, 0.09, 0.5]),
        ([0.5, 0.5], [1.0, 1.0]),
        ([0.001, 0.9, 0.02], [0.003, 0.9, 0.04]),
    ],
)
def test_holm(p: list[float], expected: list[float]) -> None:
    assert holm(p) == pytest.approx(expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), max_size=12))
def test_holm_matches_the_step_down_definition(p: list[float]) -> None:
    k = len(p)
    order = sorted(range(k), key=lambda i: p[i])
    expected = [0.0] * k
    for position, index in enumerate(order):
        expected[index] = max(min(1.0, (k - j) * p[order[j]]) for j in range(position + 1))
    adjusted = holm(p)
    assert adjusted == pytest.approx(expected)
    assert all(a >= b for a, b in zip(adjusted, p, strict=True))


# -- reliability ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("matrix", "expected"),
    [
        # item variances 7/3, 7/3, 1; total variance 49/3: α = 3/2 · (1 − 17/49) = 48/49
        ([[4, 4, 4], [3, 3, 3], [1, 1, 2]], 48 / 49),
        # item variances 7/3, 1; total variance 19/3: α = 2 · (1 − 10/19) = 18/19
        ([[3, 3], [1, 2], [4, 4]], 18 / 19),
        # one item, or one respondent: undefined
        ([[1], [2], [3]], None),
        ([[1, 2, 3]], None),
        # no variance in the total
        ([[1, 3], [2, 2], [3, 1]], None),
    ],
)
def test_cronbach_alpha(matrix: list[list[float]], expected: float | None) -> None:
    alpha = cronbach_alpha(np.array(matrix, dtype=float))
    assert alpha == (None if expected is None else pytest.approx(expected))


def test_summary_variance() -> None:
    assert Summary(3, 2.0, 2.0).variance == 4.0
    assert Summary(1, 2.0, None).variance is None


# -- exact figures from ratios ----------------------------------------------------------------

ratios = st.lists(st.tuples(st.integers(1, 6), st.integers(0, 30)), min_size=1, max_size=40).map(
    lambda pairs: [(a, min(t, 5 * a)) for a, t in pairs]
)


@settings(max_examples=150, deadline=None)
@given(ratios)
def test_ratio_summary_is_exact(pairs: list[tuple[int, int]]) -> None:
    from fractions import Fraction

    counts = np.zeros(7, dtype=np.intp)
    totals = np.zeros(7)
    squares = np.zeros(7)
    for a, t in pairs:
        counts[a] += 1
        totals[a] += t
        squares[a] += t * t
    summary = ratio_summary(counts, totals, squares)
    scores = [Fraction(t, a) for a, t in pairs]
    mean = sum(scores, Fraction(0)) / len(scores)
    assert summary.n == len(pairs)
    assert summary.mean == float(mean)  # exactly the correctly rounded mean
    if len(pairs) == 1:
        assert summary.sd is None
        return
    variance = sum(((s - mean) ** 2 for s in scores), Fraction(0)) / (len(scores) - 1)
    assert summary.sd == pytest.approx(math.sqrt(variance), rel=1e-15, abs=0)
    floats = summarize(arr(*(float(s) for s in scores)))
    assert floats.mean == pytest.approx(summary.mean, rel=1e-12)


def test_ratio_summary_of_nothing() -> None:
    assert ratio_summary(np.zeros(3, dtype=np.intp), np.zeros(3), np.zeros(3)) == Summary(
        0, None, None
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(-3, 40), min_size=1, max_size=30),
    st.lists(st.integers(-3, 40), min_size=1, max_size=30),
)
def test_mann_whitney_by_counting_matches_by_sorting(x: list[int], y: list[int]) -> None:
    counted = mann_whitney_p(np.array(x), np.array(y))
    sorted_ = mann_whitney_p(arr(*x), arr(*y))
    assert counted == pytest.approx(sorted_, rel=1e-12, abs=1e-300)
    reference = sp.mannwhitneyu(x, y, method="asymptotic", use_continuity=True).pvalue
    assert counted == pytest.approx(reference, rel=1e-9, abs=1e-15)


def test_alpha_from_sums_matches_the_matrix_version() -> None:
    matrix = np.array([[4, 4, 4], [3, 3, 3], [1, 1, 2]], dtype=float)
    totals = matrix.sum(axis=1)
    direct = alpha_from_sums(
        3,
        matrix.sum(0).tolist(),
        (matrix**2).sum(0).tolist(),
        float(totals.sum()),
        float((totals**2).sum()),
    )
    assert direct == cronbach_alpha(matrix) == pytest.approx(48 / 49)
