"""Reference values for Lemma 2.2 (theory §3), computed independently of the Java library with mpmath.

Vocabulary V = {(1, 0), (-1.8, 0.45), (-0.65, -1.65)} in R^2 (K = 3), sequences = all 6 ordered pairs
of distinct tokens (n = 2). Prints the theory §3 constants c, r, gamma, delta, and the smallest separation
between outputs of one input token in sequences with different token sets, for the projection v that the
library draws with seed 1 (its double values are given below, taken exactly).

Run: python3 lemma22_reference.py   (mpmath 1.3.0; about 1 s). bench/mpmath_lemma22.py times lemma22() warm.
"""
import itertools

import mpmath

# the library reads its double inputs exactly: -1.8 is the double nearest -1.8, not the decimal
VOCABULARY = [(1.0, 0.0), (-1.8, 0.45), (-0.65, -1.65)]
# v as drawn by the library (seed 1), exact binary values
PROJECTION = (-0.5591004805026347, -0.8290999051391352)


def lemma22(mp, shared=False):
    """The theory §3 constants and the smallest same-token separation, at mp's working precision (mp is the
    mpmath module: the caller sets mp.mp.dps). shared=True computes each output once per distinct (token read,
    multiset of the sequence's tokens), as the library does (the layer has no positional term, so the 12 outputs
    are 6 values); the result is the same."""
    V = [tuple(mp.mpf(x) for x in t) for t in VOCABULARY]
    d, n, K = 2, 2, 3
    norm = lambda x: mp.sqrt(sum(t * t for t in x))
    gmin = min(norm(x) for x in V)
    gmax = max(norm(x) for x in V)
    eps = min(norm([a - b for a, b in zip(x, y)]) for x, y in itertools.combinations(V, 2))
    thr = 2 * mp.log(n) + 3
    c = (K + 1) ** 4 * thr * mp.pi * d / (8 * gmin * eps)
    kappa = eps / (4 * gmax)
    delta = 2 * mp.log(n) ** 2 * eps ** 2 * gmin / (gmax ** 2 * (K + 1) ** 4 * thr * mp.pi * d) \
        * mp.exp(-(K + 1) ** 4 * thr * mp.pi * d * gmax ** 2 / (4 * eps * gmin))
    v0, v1 = (mp.mpf(x) for x in PROJECTION)
    nv = mp.sqrt(v0 * v0 + v1 * v1)
    v = (v0 / nv, v1 / nv)
    proj = lambda x: v[0] * x[0] + v[1] * x[1]

    def output(seq, l):
        """SA(Z)[:, l] = z_l + kappa v * sum_k softmax_k(c (v^T z_k)(v^T z_l)) v^T z_k (u = v)."""
        q = proj(seq[l])
        a = [c * proj(z) * q for z in seq]
        m = max(a)
        w = [mp.exp(x - m) for x in a]
        beta = sum(wi * proj(z) for wi, z in zip(w, seq)) / sum(w)
        return [seq[l][i] + kappa * v[i] * beta for i in range(d)]

    memo = {}
    outs = []
    for s in itertools.permutations(V, 2):
        for l in range(n):
            key = (s[l], tuple(sorted(s))) if shared else (s, l)
            if key not in memo:
                memo[key] = output(s, l)
            outs.append((s, l, memo[key]))
    same = min(norm([a - b for a, b in zip(o1, o2)])
               for (s1, l1, o1), (s2, l2, o2) in itertools.combinations(outs, 2)
               if s1[l1] == s2[l2] and set(s1) != set(s2))
    return {"gamma_min": gmin, "gamma_max": gmax, "epsilon": eps, "c": c, "r": c * gmax ** 2, "kappa": kappa,
            "gamma": gmax + kappa * gmax, "delta": delta, "same": same, "outputs": outs}


if __name__ == "__main__":
    mpmath.mp.dps = 1300  # > 2r/ln 10 + margin, r ≈ 1301
    x = lemma22(mpmath)
    largest_norm = max(mpmath.norm(o) for _, _, o in x["outputs"])
    for name, value in [("gamma_min", x["gamma_min"]), ("gamma_max", x["gamma_max"]), ("epsilon", x["epsilon"]),
                        ("c", x["c"]), ("r", x["r"]), ("kappa", x["kappa"]), ("gamma", x["gamma"]),
                        ("delta", x["delta"]), ("log10 delta", mpmath.log10(x["delta"])),
                        ("smallest same-token separation", x["same"]), ("largest output norm", largest_norm)]:
        print(f"{name:32s} {mpmath.nstr(value, 30)}")
