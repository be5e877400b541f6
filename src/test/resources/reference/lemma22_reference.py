"""Reference values for Lemma 2.2 (theory §3), computed independently of the Java library with mpmath.

Vocabulary V = {(1, 0), (-1.8, 0.45), (-0.65, -1.65)} in R^2 (K = 3), sequences = all 6 ordered pairs
of distinct tokens (n = 2). Prints the theory §3 constants c, r, gamma, delta, and the smallest separation
between outputs of one input token in sequences with different token sets, for the projection v that the
library draws with seed 1 (its double values are given below, taken exactly).

Run: python3 lemma22_reference.py   (mpmath 1.3.0; about 1 s)
"""
import itertools

import mpmath

mpmath.mp.dps = 1300  # > 2r/ln 10 + margin, r ≈ 1301

# the library reads its double inputs exactly: -1.8 is the double nearest -1.8, not the decimal
V = [tuple(mpmath.mpf(x) for x in t) for t in [(1.0, 0.0), (-1.8, 0.45), (-0.65, -1.65)]]
d, n, K = 2, 2, 3

norm = lambda x: mpmath.sqrt(sum(t * t for t in x))
gmin = min(norm(x) for x in V)
gmax = max(norm(x) for x in V)
eps = min(norm([a - b for a, b in zip(x, y)]) for x, y in itertools.combinations(V, 2))
thr = 2 * mpmath.log(n) + 3
c = (K + 1) ** 4 * thr * mpmath.pi * d / (8 * gmin * eps)
r = c * gmax ** 2
kappa = eps / (4 * gmax)
gamma = gmax + kappa * gmax
delta = 2 * mpmath.log(n) ** 2 * eps ** 2 * gmin / (gmax ** 2 * (K + 1) ** 4 * thr * mpmath.pi * d) \
    * mpmath.exp(-(K + 1) ** 4 * thr * mpmath.pi * d * gmax ** 2 / (4 * eps * gmin))

# v as drawn by the library (seed 1), exact binary values
v0, v1 = mpmath.mpf(-0.5591004805026347), mpmath.mpf(-0.8290999051391352)
nv = mpmath.sqrt(v0 * v0 + v1 * v1)
v = (v0 / nv, v1 / nv)
proj = lambda x: v[0] * x[0] + v[1] * x[1]


def output(seq, l):
    """SA(Z)[:, l] = z_l + kappa v * sum_k softmax_k(c (v^T z_k)(v^T z_l)) v^T z_k (u = v)."""
    q = proj(seq[l])
    a = [c * proj(z) * q for z in seq]
    m = max(a)
    w = [mpmath.exp(x - m) for x in a]
    beta = sum(wi * proj(z) for wi, z in zip(w, seq)) / sum(w)
    return [seq[l][i] + kappa * v[i] * beta for i in range(d)]


seqs = list(itertools.permutations(V, 2))
outs = [(s, l, output(s, l)) for s in seqs for l in range(n)]
same = min(norm([a - b for a, b in zip(o1, o2)])
           for (s1, l1, o1), (s2, l2, o2) in itertools.combinations(outs, 2)
           if s1[l1] == s2[l2] and set(s1) != set(s2))
largest_norm = max(norm(o) for _, _, o in outs)

for name, x in [("gamma_min", gmin), ("gamma_max", gmax), ("epsilon", eps), ("c", c), ("r", r), ("kappa", kappa),
                ("gamma", gamma), ("delta", delta), ("log10 delta", mpmath.log10(delta)),
                ("smallest same-token separation", same), ("largest output norm", largest_norm)]:
    print(f"{name:32s} {mpmath.nstr(x, 30)}")
