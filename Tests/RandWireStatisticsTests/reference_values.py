#!/usr/bin/env python3
"""Reference values for RandWireStatisticsTests, computed without the Swift code.

Standard library only (fractions, decimal, math). Nothing here calls or ports the Swift
implementation; every quantity is recomputed from its textbook definition, by a different
method where one exists:

- Chi-square upper tail Q(df/2, x/2): the closed forms for integer and half-integer shape
  (even df: e^-y sum_{j<k} y^j/j!; odd df: erfc(sqrt y) + e^-y sum_{j<k} y^(j+1/2)/Gamma(j+3/2)),
  in 60-digit decimal arithmetic. The Swift code uses a series / Lentz continued fraction.
- erfc: 80-digit decimal, Taylor series of erf below 3, the Laplace continued fraction above
  (evaluated backwards at two depths, which must agree); pi by Machin's formula.
- Binomial and Poisson-binomial tails: exact rationals (sums of C(n, j) p^j (1-p)^(n-j); the
  product of generating polynomials prod (1 - p_i + p_i t)).
- Longest run: exact count of the sequences whose runs are all shorter than L (compositions
  into parts < L, first part coloured K ways, later parts K-1), not a Markov chain over repeats.
- Identical batches: the distribution of the number of distinct batches among b uniform draws
  from N outcomes via Stirling numbers of the second kind, S(b, d) N!/(N-d)! / N^b.
- The statistics themselves (chi-square sums, lag-1 r, counts) in exact rationals, from the
  definitions in the doc comments of RandomnessTests.

The inputs are either written out or drawn from a 64-bit LCG that the Swift test repeats
bit for bit (referenceSequence in ReferenceValueTests.swift). The printed lines are pasted
into ReferenceValueTests.swift; the Swift tests never run this script.

Run: python3 Tests/RandWireStatisticsTests/reference_values.py
"""
from decimal import Decimal, getcontext
from fractions import Fraction
from math import comb, factorial
import math

getcontext().prec = 80


# ---------------------------------------------------------------- constants and erfc


def arctan_inverse(n):
    """arctan(1/n) by its Taylor series."""
    x = Decimal(1) / n
    x2 = x * x
    term, total, k = x, x, 1
    while True:
        term *= -x2
        step = term / (2 * k + 1)
        if abs(step) < Decimal(10) ** -(getcontext().prec + 2):
            return total
        total += step
        k += 1


PI = 16 * arctan_inverse(5) - 4 * arctan_inverse(239)
SQRT_PI = PI.sqrt()


def erfc(z):
    z = Decimal(z)
    if z < 0:
        return 2 - erfc(-z)
    if z < 3:
        # erf(z) = 2/sqrt(pi) sum (-1)^n z^(2n+1) / (n! (2n+1))
        total, power, n = Decimal(0), z, 0
        while True:
            step = power / (factorial(n) * (2 * n + 1))
            if n % 2:
                step = -step
            total += step
            if abs(step) < Decimal(10) ** -85:
                break
            n += 1
            power *= z * z
        return 1 - 2 * total / SQRT_PI

    def fraction(depth):
        # erfc(z) = e^(-z^2)/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))
        t = z
        for k in range(depth, 0, -1):
            t = z + Decimal(k) / 2 / t
        return (-z * z).exp() / SQRT_PI / t

    a, b = fraction(4000), fraction(8000)
    assert abs(a - b) <= abs(b) * Decimal(10) ** -40, (z, a, b)
    return b


def chi_square_upper(x, df):
    """P(chi-square_df >= x) = Q(df/2, x/2), closed form."""
    y = Decimal(x) / 2
    e = (-y).exp()
    if df % 2 == 0:
        total, term = Decimal(0), Decimal(1)
        for j in range(df // 2):
            total += term
            term = term * y / (j + 1)
        return e * total
    total = erfc(y.sqrt())
    # Gamma(j + 3/2) = (2j+1)!! / 2^(j+1) * sqrt(pi)
    term = y.sqrt() / (SQRT_PI / 2)  # y^(1/2) / Gamma(3/2)
    for j in range(df // 2):
        total += e * term
        term = term * y / (Decimal(2 * j + 3) / 2)
    return total


def normal_two_sided(z):
    return erfc(abs(Decimal(z)) / Decimal(2).sqrt())


# ---------------------------------------------------------------- exact discrete tails


def binomial_pmf_list(n, p):
    p = Fraction(p)
    return [comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(n + 1)]


def binomial_upper(k, n, p):
    if k <= 0:
        return Fraction(1)
    return sum(binomial_pmf_list(n, p)[k:], Fraction(0))


def binomial_lower(k, n, p):
    if k < 0:
        return Fraction(0)
    return sum(binomial_pmf_list(n, p)[: k + 1], Fraction(0))


def poisson_binomial_pmf(probabilities):
    poly = [Fraction(1)]
    for p in probabilities:
        p = Fraction(p)
        nxt = [Fraction(0)] * (len(poly) + 1)
        for i, c in enumerate(poly):
            nxt[i] += c * (1 - p)
            nxt[i + 1] += c * p
        poly = nxt
    return poly


def two_sided(pmf, observed):
    """min(1, 2 min(P(X >= c), P(X <= c)))."""
    upper = sum(pmf[observed:], Fraction(0))
    lower = sum(pmf[: observed + 1], Fraction(0))
    return min(Fraction(1), 2 * min(upper, lower))


def runs_all_shorter(n, k, length):
    """Number of sequences of n draws from k values whose runs are all shorter than `length`."""
    # ways[t]: sequences of length t (t >= 1) ending a run exactly at t, all runs < length.
    ways = [0] * (n + 1)
    for t in range(1, n + 1):
        total = 0
        for part in range(1, min(length - 1, t) + 1):
            rest = t - part
            total += k if rest == 0 else ways[rest] * (k - 1)
        ways[t] = total
    return ways[n]


def longest_run_tail(length, n, k):
    if length <= 1:
        return Fraction(1)
    if length > n:
        return Fraction(0)
    return 1 - Fraction(runs_all_shorter(n, k, length), k**n)


def longest_run_union_bound(length, n, k):
    q = Fraction(1, k)
    return min(Fraction(1), q ** (length - 1) * (1 + (n - 1 - (length - 1)) * (1 - q)))


def stirling2_row(b):
    """S(b, d) for d = 0..b."""
    row = [1]
    for i in range(1, b + 1):
        new = [0] * (i + 1)
        for d in range(1, i + 1):
            new[d] = d * (row[d] if d < len(row) else 0) + row[d - 1]
        row = new
    return row


def repeats_pmf(b, outcomes):
    """P(b - #distinct = r) for b uniform draws from `outcomes` values, r = 0..b-1."""
    s = stirling2_row(b)
    pmf = [Fraction(0)] * b
    for d in range(1, b + 1):
        falling = 1
        for i in range(d):
            falling *= outcomes - i
        pmf[b - d] = Fraction(s[d] * falling, outcomes**b)
    return pmf


def convolve(a, b):
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


# ---------------------------------------------------------------- inputs


def reference_sequence(seed, count, lo, hi):
    """64-bit LCG (Knuth's MMIX constants), top bits reduced mod the range size."""
    s, out = seed, []
    for _ in range(count):
        s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(lo + (s >> 33) % (hi - lo + 1))
    return out


def chunks(values, sizes):
    """Consecutive batches whose sizes cycle through `sizes`."""
    out, i, j = [], 0, 0
    while i < len(values):
        size = sizes[j % len(sizes)]
        out.append(values[i : i + size])
        i += size
        j += 1
    return out


def bin_edges(k, bins):
    return [j * k // bins for j in range(bins + 1)]


def bin_of(value, lo, k, bins):
    """Bin j holds offsets floor(jK/b) ..< floor((j+1)K/b); out-of-range values go to the edges."""
    offset = min(max(value - lo, 0), k - 1)
    edges = bin_edges(k, bins)
    return max(j for j in range(bins) if edges[j] <= offset)


# ---------------------------------------------------------------- statistics


def uniformity(values, lo, hi):
    k = hi - lo + 1
    inside = [v for v in values if lo <= v <= hi]
    n = len(inside)
    bins = k if (k <= 20 and n >= 10 * k) else min(k, 10, n // 10)
    edges = bin_edges(k, bins)
    counts = [0] * bins
    for v in inside:
        counts[bin_of(v, lo, k, bins)] += 1
    chi = Fraction(0)
    for j in range(bins):
        expected = Fraction(n * (edges[j + 1] - edges[j]), k)
        chi += (counts[j] - expected) ** 2 / expected
    df = bins - 1
    return dict(n=n, statistic=chi, df=df, p=chi_square_upper(float(chi), df))


def endpoints(values, lo, hi, width):
    k = hi - lo + 1
    inside = [v for v in values if lo <= v <= hi]
    n = len(inside)
    low_seen = any(v <= lo + width - 1 for v in inside)
    high_seen = any(v >= hi - width + 1 for v in inside)
    missing = (not low_seen) + (not high_seen)
    one = Fraction(k - width, k) ** n
    both = Fraction(k - 2 * width, k) ** n
    p = {0: Fraction(1), 1: 2 * one - both, 2: both}[missing]
    return dict(n=n, statistic=missing, p=p)


def serial_correlation(values):
    n = len(values)
    mean = Fraction(sum(values), n)
    d = [v - mean for v in values]
    r = sum(d[i] * d[i + 1] for i in range(n - 1)) / sum(x * x for x in d)
    z = Decimal(r.numerator) / Decimal(r.denominator) * Decimal(n).sqrt()
    return dict(n=n, statistic=z, p=normal_two_sided(z))


def adjacent_repeats(values, lo, hi):
    k = hi - lo + 1
    repeats = sum(values[i] == values[i - 1] for i in range(1, len(values)))
    pmf = binomial_pmf_list(len(values) - 1, Fraction(1, k))
    return dict(n=len(values), statistic=repeats, p=two_sided(pmf, repeats))


def longest_run(values, lo, hi):
    k = hi - lo + 1
    longest, current = 1, 1
    for i in range(1, len(values)):
        current = current + 1 if values[i] == values[i - 1] else 1
        longest = max(longest, current)
    return dict(n=len(values), statistic=longest, exact=longest_run_tail(longest, len(values), k),
                bound=longest_run_union_bound(longest, len(values), k))


def duplicate_probability(size, k):
    distinct = Fraction(1)
    for i in range(size):
        distinct *= Fraction(k - i, k)
    return 1 - distinct


def sorted_probability(size, k):
    # Non-decreasing sequences: C(K+m-1, m); non-increasing as many; K constant ones are both.
    return Fraction(2 * comb(k + size - 1, size) - k, k**size)


def batch_duplicates(batches, lo, hi):
    k = hi - lo + 1
    probabilities, observed = [], 0
    for batch in batches:
        pd = duplicate_probability(len(batch), k) if len(batch) <= k else Fraction(1)
        if 0 < pd < 1:
            probabilities.append(pd)
            observed += len(set(batch)) < len(batch)
    return dict(n=len(probabilities), statistic=observed, p=two_sided(poisson_binomial_pmf(probabilities), observed))


def batch_sorted(batches, lo, hi):
    k = hi - lo + 1
    probabilities, observed = [], 0
    for batch in batches:
        if len(batch) <= 2:
            continue
        probabilities.append(sorted_probability(len(batch), k))
        up = all(batch[i] <= batch[i + 1] for i in range(len(batch) - 1))
        down = all(batch[i] >= batch[i + 1] for i in range(len(batch) - 1))
        observed += up or down
    pmf = poisson_binomial_pmf(probabilities)
    return dict(n=len(probabilities), statistic=observed, p=sum(pmf[observed:], Fraction(0)))


def position_exchangeability(batches, lo, hi):
    """Pearson chi-square of homogeneity on the (position x bin) table of the first m draws."""
    used = [b for b in batches if b]
    k = hi - lo + 1
    m = min(len(b) for b in used)
    # The doc comment's rule: the most bins (<= 10) whose smallest bin, floor(K/bins) values,
    # still expects >= 50 per position; failing that min(10, K, b/10) bins.
    bins = next((c for c in range(min(10, k), 1, -1) if Fraction(len(used) * (k // c), k) >= 50), None)
    if bins is None:
        bins = min(10, k, len(used) // 10)
    table = [[0] * bins for _ in range(m)]
    for batch in used:
        for position in range(m):
            table[position][bin_of(batch[position], lo, k, bins)] += 1
    columns = [j for j in range(bins) if sum(row[j] for row in table) > 0]
    chi = Fraction(0)
    for row in table:
        for j in columns:
            column_total = sum(r[j] for r in table)
            row_total = sum(row)
            expected = Fraction(row_total * column_total, len(used) * m)
            chi += (row[j] - expected) ** 2 / expected
    df = (m - 1) * (len(columns) - 1)
    return dict(n=len(used), statistic=chi, df=df, bins=bins, p=chi_square_upper(float(chi), df))


def identical_batches(batches, lo, hi):
    used = [b for b in batches if b]
    k = hi - lo + 1
    sizes = sorted(set(len(b) for b in used))
    pmf = [Fraction(1)]
    repeats = 0
    for size in sizes:
        group = [tuple(b) for b in used if len(b) == size]
        repeats += len(group) - len(set(group))
        pmf = convolve(pmf, repeats_pmf(len(group), k**size))
    return dict(n=len(used), statistic=repeats, p=sum(pmf[repeats:], Fraction(0)))


# ---------------------------------------------------------------- output


def g(x):
    """A Double literal with 17 significant digits."""
    if isinstance(x, Fraction):
        x = Decimal(x.numerator) / Decimal(x.denominator)
    return format(float(Decimal(x)), ".17g") if Decimal(x) != 0 else "0"


def main():
    print("// chi-square upper tail (x, df, P(chi2_df >= x))")
    for x, df in [(0.5, 1), (3.841458820694124, 1), (6.533333333333333, 1), (30.0, 1), (200.0, 1),
                  (1.0, 2), (10.0, 2), (9.0, 9), (16.918977604620448, 9), (40.0, 9), (46.9, 10),
                  (10.0, 10), (1000.0, 10), (1400.0, 10), (45.0, 36), (105.2, 45), (99.0, 99),
                  (180.8, 99), (1500.0, 99), (150.0, 200)]:
        print(f"({x!r}, {df}, {g(chi_square_upper(x, df))}),")

    print("// normal two-sided P(|Z| >= z)")
    for z in [0.5, 1.959963984540054, 4.89, 8.0, 30.0]:
        print(f"({z!r}, {g(normal_two_sided(z))}),  // math.erfc: {math.erfc(z / math.sqrt(2))!r}")

    print("// binomial P(X >= k) (k, n, p)")
    for k, n, p in [(247, 1999, Fraction(1, 11)), (45, 1999, Fraction(1, 100)), (6, 1999, Fraction(1, 10000)),
                    (1000, 1000, Fraction(1, 2)), (181, 1999, Fraction(1, 11))]:
        print(f"({k}, {n}, {p}, {g(binomial_upper(k, n, p))}),")
    print("// binomial P(X <= k)")
    for k, n, p in [(0, 50, Fraction(0.372)), (10, 1000, Fraction(1, 2)), (180, 1999, Fraction(1, 11))]:
        print(f"({k}, {n}, {float(p)!r}, {g(binomial_lower(k, n, p))}),")

    print("\n// ---- the tests on fixed inputs")
    seq = reference_sequence

    def show(name, result, **extra):
        fields = {k: (g(v) if isinstance(v, (Fraction, Decimal)) else v) for k, v in result.items()}
        fields.update(extra)
        print(name, fields)

    # Uniformity
    show("U1 seq(1, 220, 10...20)", uniformity(seq(1, 220, 10, 20), 10, 20))
    show("U2 22x0 + 8x1 + [5, -1] on 0...1", uniformity([0] * 22 + [1] * 8 + [5, -1], 0, 1))
    show("U3 20x1 10x2 30x3 on 1...3", uniformity([1] * 20 + [2] * 10 + [3] * 30, 1, 3))
    show("U4 seq(3, 300, 1...100)", uniformity(seq(3, 300, 1, 100), 1, 100))
    show("U5 seq(4, 100, 1...25) + [0, 26, 1000]", uniformity(seq(4, 100, 1, 25) + [0, 26, 1000], 1, 25))

    # Endpoints
    show("E1 seq(5, 200, 10...19) on 10...20", endpoints(seq(5, 200, 10, 19), 10, 20, 1))
    show("E2 seq(6, 200, 10...20)", endpoints(seq(6, 200, 10, 20), 10, 20, 1))
    show("E3 seq(7, 2000, 101...9900) on 1...10000", endpoints(seq(7, 2000, 101, 9900), 1, 10000, 100))

    # Serial correlation
    show("S1 seq(8, 50, 1...100)", serial_correlation(seq(8, 50, 1, 100)))
    walk = [50]
    for step in seq(9, 39, -3, 3):
        walk.append(walk[-1] + step)
    show("S2 walk from 50 by seq(9, 39, -3...3)", serial_correlation(walk))
    show("S3 [1, 9] x 15", serial_correlation([1, 9] * 15))

    # Adjacent repeats
    show("A1 seq(10, 200, 10...20)", adjacent_repeats(seq(10, 200, 10, 20), 10, 20))
    show("A2 10 + i % 11, i < 300", adjacent_repeats([10 + i % 11 for i in range(300)], 10, 20))
    show("A3 10 + (i / 2) % 11, i < 200", adjacent_repeats([10 + (i // 2) % 11 for i in range(200)], 10, 20))

    # Longest run
    show("L1 seq(11, 200, 10...20)", longest_run(seq(11, 200, 10, 20), 10, 20))
    l2 = seq(12, 100, 1, 3)
    l2[50:56] = [2] * 6
    show("L2 seq(12, 100, 1...3), [50..<56] = 2", longest_run(l2, 1, 3))
    l3 = seq(13, 500, 1, 10000)
    l3[100:103] = [7] * 3
    show("L3 seq(13, 500, 1...10000), [100..<103] = 7", longest_run(l3, 1, 10000))
    l4 = seq(13, 500, 1, 10000)
    l4[100:105] = [7] * 5
    show("L4 seq(13, 500, 1...10000), [100..<105] = 7", longest_run(l4, 1, 10000))

    # Batch duplicates
    show("D1 chunks(seq(14, 300, 1...100), [10])", batch_duplicates(chunks(seq(14, 300, 1, 100), [10]), 1, 100))
    show("D2 chunks(seq(15, 400, 1...50), [5, 10, 1, 20, 60])",
         batch_duplicates(chunks(seq(15, 400, 1, 50), [5, 10, 1, 20, 60]), 1, 50))
    dealt = [[(i * 7 + j * 13) % 100 + 1 for j in range(10)] for i in range(50)]
    show("D3 dealt (i*7 + j*13) % 100 + 1", batch_duplicates(dealt, 1, 100))

    # Batch sorted
    b1 = chunks(seq(16, 3000, 1, 100), [10])
    b1[3] = sorted(b1[3])
    b1[7] = sorted(b1[7], reverse=True)
    show("B1 chunks(seq(16, 3000, 1...100), [10]), 3 up, 7 down", batch_sorted(b1, 1, 100))
    show("B2 chunks(seq(18, 150, 1...4), [3, 2, 4])", batch_sorted(chunks(seq(18, 150, 1, 4), [3, 2, 4]), 1, 4))

    # Position exchangeability
    # P1: K = 10, 500 batches of 12: 10 bins expecting 50 each, df 11 * 9 = 99.
    show("P1 chunks(seq(19, 6000, 1...10), [12])", position_exchangeability(chunks(seq(19, 6000, 1, 10), [12]), 1, 10))
    # P2: K = 6, 30 batches (3 draws used of 3 or 4), out-of-range draws in the edge bins: 3 bins.
    show("P2 chunks(seq(20, 100, 0...7), [3, 3, 4]) + [[]] on 1...6",
         position_exchangeability(chunks(seq(20, 100, 0, 7), [3, 3, 4]) + [[]], 1, 6))
    # P3: K = 6, 40 batches of 2 from 1...4: 4 bins (sizes 1, 2, 1, 2), the last never drawn.
    show("P3 chunks(seq(21, 80, 1...4), [2]) on 1...6", position_exchangeability(chunks(seq(21, 80, 1, 4), [2]), 1, 6))

    # Identical batches
    i1 = chunks(seq(22, 3000, 1, 100), [10])
    i1[200] = i1[17]
    show("I1 chunks(seq(22, 3000, 1...100), [10]), [200] = [17]", identical_batches(i1, 1, 100))
    show("I2 chunks(seq(23, 30, 0...1), [3])", identical_batches(chunks(seq(23, 30, 0, 1), [3]), 0, 1))
    show("I3 chunks(seq(24, 30, 0...1), [2, 3]) + [[]]", identical_batches(chunks(seq(24, 30, 0, 1), [2, 3]) + [[]], 0, 1))

    print("\n// ---- calibration: exact P(p < 0.1) for a correct generator at the runner's n")
    for name, n, k in [("bare", 1000, 11), ("request", 5000, 10000), ("csv", 3000, 100)]:
        print(f"{name}: adjacent-repeats {below_tenth_two_sided(binomial_pmf_list(n - 1, Fraction(1, k)))}")
        length = 2
        while longest_run_tail(length, n, k) >= Fraction(1, 10):
            length += 1
        tail = longest_run_tail(length, n, k)
        print(f"{name}: longest-run {g(tail)} (p < 0.1 iff run >= {length}; "
              f"nearest atoms {g(longest_run_tail(length - 1, n, k))}, {g(tail)})")
    pd = duplicate_probability(10, 100)
    print(f"csv: batch-duplicates {below_tenth_two_sided(binomial_pmf_list(300, pd))}")
    print(f"csv: batch-sorted {g(1 - (1 - sorted_probability(10, 100)) ** 300)} (any sorted batch)")
    replay_free = Fraction(1)
    for i in range(300):
        replay_free *= 1 - Fraction(i, 100**10)
    print(f"csv: identical-batches {g(1 - replay_free)} (any repeat)")
    for name, n, k, width in [("bare", 1000, 11, 1), ("request", 5000, 10000, 100), ("csv", 3000, 100, 1)]:
        missing = 2 * Fraction(k - width, k) ** n - Fraction(k - 2 * width, k) ** n
        print(f"{name}: endpoints {g(missing)} (an end missing)")


def below_tenth_two_sided(pmf):
    """P(two-sided p < 0.1), and the p-value atoms on either side of 0.1."""
    tenth = Fraction(1, 10)
    lower, running = [], Fraction(0)
    for q in pmf:
        running += q
        lower.append(running)
    total_mass = lower[-1]
    # P(X >= c) = 1 - P(X <= c - 1), exact in rationals.
    atoms = [min(Fraction(1), 2 * min(total_mass - (lower[c - 1] if c else 0), lower[c])) for c in range(len(pmf))]
    total = sum((q for q, a in zip(pmf, atoms) if a < tenth), Fraction(0))
    below = max((a for a in atoms if a < tenth), default=Fraction(0))
    above = min(a for a in atoms if a >= tenth)
    return f"{g(total)} (nearest atoms {g(below)}, {g(above)})"


if __name__ == "__main__":
    main()
