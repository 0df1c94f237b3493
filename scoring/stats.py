"""The statistics scoring uses, over numpy arrays of respondent scores.

Each function returns plain floats, or None when the figure is undefined for its input (an interval
from one value, an effect size when there is no spread); callers never see NaN.

The Student t quantile is computed here rather than with scipy: importing `scipy.special` costs
about a third of a second, more than scoring 100,000 responses. It is the inverse, by safeguarded
Newton steps, of the t distribution function written with the regularized incomplete beta function
(a continued fraction evaluated by the modified Lentz method). The tests check it against scipy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.intp]

#: The two-sided confidence level of every interval scoring reports.
CONFIDENCE = 0.95

_EPS = 1e-15
#: Whole-number samples spanning at most this many values are ranked by counting.
_COUNTING_SPAN = 1 << 22
_STEP = 1e-11
_TINY = 1e-300
_MAX_ITERATIONS = 100_000


# -- descriptive statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """n, mean and the (n - 1) standard deviation of a sample; mean and sd None when undefined."""

    n: int
    mean: float | None
    sd: float | None

    @property
    def variance(self) -> float | None:
        return None if self.sd is None else self.sd * self.sd


def summarize(values: FloatArray) -> Summary:
    """Return n, mean and sd (n - 1 denominator) of a sample.

    The values are summed in sorted order, so the figures do not depend on the order of the rows.
    """
    n = int(values.size)
    if n == 0:
        return Summary(0, None, None)
    ordered = np.sort(values)
    mean = float(ordered.sum() / n)
    if n == 1:
        return Summary(1, mean, None)
    sd = math.sqrt(float(np.square(ordered - mean).sum()) / (n - 1))
    return Summary(n, mean, sd)


def t_interval(summary: Summary, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """Return the t interval mean ± t(1 - α/2, n - 1) · sd / √n, or None with fewer than 2 values."""
    if summary.mean is None or summary.sd is None or summary.n < 2:
        return None
    half = t_quantile(0.5 + confidence / 2, summary.n - 1) * summary.sd / math.sqrt(summary.n)
    return summary.mean - half, summary.mean + half


# -- two independent samples -------------------------------------------------------------------


@dataclass(frozen=True)
class Welch:
    difference: float
    se: float
    df: float | None
    ci_low: float | None
    ci_high: float | None


def welch(baseline: Summary, followup: Summary, confidence: float = CONFIDENCE) -> Welch | None:
    """Return follow-up minus baseline with its Welch interval (Welch–Satterthwaite df).

    se = √(s₁²/n₁ + s₂²/n₂), df = se⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)). With no spread in
    either sample (se = 0) the interval is undefined and None.
    """
    v1, v2 = baseline.variance, followup.variance
    if baseline.mean is None or followup.mean is None or v1 is None or v2 is None:
        return None
    difference = followup.mean - baseline.mean
    a, b = v1 / baseline.n, v2 / followup.n
    se = math.sqrt(a + b)
    if se == 0:
        return Welch(difference, 0.0, None, None, None)
    df = (a + b) ** 2 / (a * a / (baseline.n - 1) + b * b / (followup.n - 1))
    half = t_quantile(0.5 + confidence / 2, df) * se
    return Welch(difference, se, df, difference - half, difference + half)


def hedges_g(baseline: Summary, followup: Summary) -> float | None:
    """Return Hedges' g of follow-up minus baseline, or None when the pooled sd is 0.

    d = (x̄₂ − x̄₁) / s_p with s_p² = ((n₁−1)s₁² + (n₂−1)s₂²) / (n₁+n₂−2);
    g = d · (1 − 3 / (4(n₁+n₂) − 9)).
    """
    v1, v2 = baseline.variance, followup.variance
    if baseline.mean is None or followup.mean is None or v1 is None or v2 is None:
        return None
    n1, n2 = baseline.n, followup.n
    pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
    if pooled == 0:
        return None
    d = (followup.mean - baseline.mean) / pooled
    return d * (1 - 3 / (4 * (n1 + n2) - 9))


def mann_whitney_p(
    baseline: FloatArray | IntArray, followup: FloatArray | IntArray
) -> float | None:
    """Return the two-sided Mann–Whitney U p-value (normal approximation).

    Ranks are averaged over ties; U₁ = R₁ − n₁(n₁+1)/2; σ² = n₁n₂/12 · ((N+1) − Σ(t³−t)/(N(N−1)));
    z = (|U₁ − n₁n₂/2| − ½) / σ; p = min(1, 2·(1 − Φ(z))). When every value is the same (σ = 0) the
    samples cannot be told apart and p is 1. None when either sample is empty. Whole-number
    values in a modest range are ranked by counting instead of sorting.
    """
    n1, n2 = int(baseline.size), int(followup.size)
    if n1 == 0 or n2 == 0:
        return None
    combined = np.concatenate([baseline, followup])
    if np.issubdtype(combined.dtype, np.integer):
        low = int(combined.min())
        span = int(combined.max()) - low + 1
    if np.issubdtype(combined.dtype, np.integer) and span <= _COUNTING_SPAN:
        in_first = np.bincount(baseline - low, minlength=span)
        counts = in_first + np.bincount(followup - low, minlength=span)
    else:
        _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
        in_first = np.bincount(inverse.ravel()[:n1], minlength=counts.size)
    # The average rank of each distinct value: the ranks it spans are (below + 1) .. (below + t).
    below = np.cumsum(counts) - counts
    average_rank = below + (counts + 1) / 2.0
    rank_sum = float(in_first @ average_rank)
    u1 = rank_sum - n1 * (n1 + 1) / 2.0
    total = n1 + n2
    ties = float(np.sum(counts.astype(np.float64) ** 3 - counts))
    variance = n1 * n2 / 12.0 * ((total + 1) - ties / (total * (total - 1)))
    if variance <= 0:
        return 1.0
    z = (abs(u1 - n1 * n2 / 2.0) - 0.5) / math.sqrt(variance)
    return min(1.0, 2.0 * normal_sf(z))


def holm(p_values: list[float]) -> list[float]:
    """Return Holm step-down adjusted p-values, in the order given.

    With p₍₁₎ ≤ … ≤ p₍ₖ₎: p̃₍ᵢ₎ = max over j ≤ i of min(1, (k − j + 1) · p₍ⱼ₎).
    """
    k = len(p_values)
    order = sorted(range(k), key=lambda i: p_values[i])
    adjusted = [0.0] * k
    running = 0.0
    for position, index in enumerate(order):
        running = max(running, min(1.0, (k - position) * p_values[index]))
        adjusted[index] = running
    return adjusted


# -- reliability ------------------------------------------------------------------------------


def cronbach_alpha(complete: FloatArray) -> float | None:
    """Return Cronbach's alpha of a respondents × items matrix with no missing values.

    α = k/(k−1) · (1 − Σ s²ᵢ / s²ₜ), item and total variances with n − 1. None with fewer than
    2 items or 2 respondents, or when the total score has no variance.
    """
    totals = complete.sum(axis=1)
    return alpha_from_sums(
        int(complete.shape[0]),
        complete.sum(axis=0).tolist(),
        np.square(complete).sum(axis=0).tolist(),
        float(totals.sum()),
        float(np.square(totals).sum()),
    )


def alpha_from_sums(
    respondents: int,
    item_sums: list[float],
    item_squares: list[float],
    total_sum: float,
    total_squares: float,
) -> float | None:
    """Return Cronbach's alpha from the sums of each item, of its squares, and of the totals.

    With whole-number answers the sums are exact, and alpha is computed exactly, in fractions,
    and rounded once.
    """
    k = len(item_sums)
    if k < 2 or respondents < 2:
        return None
    item_variances = sum(
        (
            _exact_variance(respondents, s1, s2)
            for s1, s2 in zip(item_sums, item_squares, strict=True)
        ),
        Fraction(0),
    )
    total_variance = _exact_variance(respondents, total_sum, total_squares)
    if total_variance == 0:
        return None
    return float(Fraction(k, k - 1) * (1 - item_variances / total_variance))


def _exact_variance(n: int, total: float, squares: float) -> Fraction:
    """Return (n·Σx² − (Σx)²) / (n(n − 1)) from the two sums (exact when they are)."""
    s1, s2 = Fraction(total), Fraction(squares)
    return (n * s2 - s1 * s1) / (n * (n - 1))


def ratio_summary(counts: IntArray, totals: FloatArray, squares: FloatArray) -> Summary:
    """Return n, mean and sd of scores tᵢ/aᵢ given, for each denominator a, three sums.

    `counts[a]` is the number of scores with denominator a, `totals[a]` the sum of their
    numerators and `squares[a]` the sum of the numerators squared (all whole numbers, exact in
    floating point). The mean Σ(tᵢ/aᵢ)/n and the sum of squared deviations Σ(tᵢ/aᵢ)² − n·mean²
    are computed exactly, in fractions, and rounded once: no order of the rows can change them.
    """
    n = int(counts.sum())
    if n == 0:
        return Summary(0, None, None)
    first = Fraction(0)
    second = Fraction(0)
    for a in np.flatnonzero(counts).tolist():
        first += Fraction(totals[a]) / a
        second += Fraction(squares[a]) / (a * a)
    mean = first / n
    if n == 1:
        return Summary(1, float(mean), None)
    variance = (second - first * mean) / (n - 1)
    return Summary(n, float(mean), math.sqrt(variance))


# -- distributions ----------------------------------------------------------------------------


def normal_sf(z: float) -> float:
    """Return P(Z > z) for a standard normal Z, accurate in the upper tail."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def t_cdf(x: float, df: float) -> float:
    """Return P(T ≤ x) for Student's t with `df` (> 0, not necessarily whole) degrees of freedom."""
    if not df > 0 or math.isnan(x):
        raise ValueError(f"t distribution needs df > 0 and a number, got x={x}, df={df}")
    if math.isinf(x):
        return 1.0 if x > 0 else 0.0
    upper, central = _t_tails(abs(x), df)
    return 0.5 + central if x >= 0 else upper


def t_pdf(x: float, df: float) -> float:
    """Return the density of Student's t with `df` degrees of freedom at x."""
    log_norm = _log_gamma_ratio(df / 2, 0.5) - 0.5 * math.log(df * math.pi)
    return math.exp(log_norm - (df + 1) / 2 * math.log1p(x * x / df))


def t_quantile(p: float, df: float) -> float:
    """Return x with P(T ≤ x) = p for Student's t with `df` degrees of freedom."""
    if not 0 < p < 1 or not df > 0:
        raise ValueError(f"t quantile needs 0 < p < 1 and df > 0, got p={p}, df={df}")
    if p == 0.5:
        return 0.0
    if p > 0.5:
        return _positive_quantile(1.0 - p, p - 0.5, df)
    return -_positive_quantile(p, 0.5 - p, df)


def _positive_quantile(upper_target: float, central_target: float, df: float) -> float:
    """Return x > 0 with P(T > x) = upper_target, where P(0 < T ≤ x) = central_target."""
    # Solve on whichever of the two is smaller: each is computed to full relative precision.
    use_upper = upper_target <= 0.25

    def excess(x: float) -> float:
        """Return a difference that is positive while x is below the quantile."""
        upper, central = _t_tails(x, df)
        return upper - upper_target if use_upper else central_target - central

    # Start from the normal quantile with the first Cornish–Fisher corrections for t, which are
    # already close for the degrees of freedom scoring meets (n − 1 or Welch's ν, often large).
    z = -NormalDist().inv_cdf(upper_target)
    start = z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df * df)
    # Newton steps from there; the bracket [low, high] only grows tighter, and a step that would
    # leave it is replaced by doubling (no upper bound yet) or bisection.
    low, high = 0.0, math.inf
    x = max(start, _TINY)
    for _ in range(400):
        error = excess(x)
        if error == 0:
            return x
        if error > 0:
            low = x
        else:
            high = x
        density = t_pdf(x, df)
        candidate = x + error / density if density > 0 else math.nan
        if not low < candidate < high:
            if math.isinf(high):
                candidate = 2 * x
            elif high > 4 * low > 0:  # the bracket spans orders of magnitude (heavy tails)
                candidate = math.sqrt(low * high)
            else:
                candidate = (low + high) / 2
        # Newton converges quadratically: after a step this small the error is far below it.
        if abs(candidate - x) <= _STEP * x or high - low <= 2 * _EPS * x:
            return candidate
        x = candidate
    return x


def _t_tails(x: float, df: float) -> tuple[float, float]:
    """Return (P(T > x), P(0 < T ≤ x)) for x ≥ 0, each to full relative precision.

    P(T > x) = ½ I_w(ν/2, ½) and P(0 < T ≤ x) = ½ I_q(½, ν/2), with w = ν/(ν+x²) and q = 1 − w;
    q and both logarithms are computed directly, never as 1 − w.
    """
    if x == 0:
        return 0.5, 0.0
    s = x * x
    if math.isinf(s):
        return 0.0, 0.5
    w, q = df / (df + s), s / (df + s)
    log_w, log_q = -math.log1p(s / df), math.log(s) - math.log(df + s)
    a, b = df / 2.0, 0.5
    # log of x^a (1-x)^b / B(a, b), with B(a, b) = Γ(a)Γ(b)/Γ(a+b) and Γ(½) = √π
    log_front = a * log_w + b * log_q + _log_gamma_ratio(a, b) - 0.5 * math.log(math.pi)
    front = math.exp(log_front)
    if w < (a + 1) / (a + b + 2):
        upper = 0.5 * front * _beta_fraction(a, b, w) / a
        return upper, 0.5 - upper
    central = 0.5 * front * _beta_fraction(b, a, q) / b
    return 0.5 - central, central


def _log_gamma_ratio(a: float, b: float) -> float:
    """Return ln Γ(a + b) − ln Γ(a), without the cancellation of two large lgamma values."""
    if a < 64:
        return math.lgamma(a + b) - math.lgamma(a)
    # Stirling: ln Γ(z) = (z − ½) ln z − z + ½ ln 2π + 1/(12z) − 1/(360z³) + 1/(1260z⁵) − …
    t = b / a
    main = b * math.log(a) + (b - 0.5) * math.log1p(t) + a * (math.log1p(t) - t)
    return main + _stirling_tail(a + b) - _stirling_tail(a)


def _stirling_tail(z: float) -> float:
    z2 = z * z
    return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - 1.0 / (1680 * z2)) / z2) / z2) / z


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Evaluate the continued fraction of I_x(a, b) by the modified Lentz method."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_ITERATIONS):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        result *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        result *= delta
        if abs(delta - 1.0) < _EPS:
            return result
    raise ArithmeticError(f"incomplete beta did not converge (a={a}, b={b}, x={x})")
