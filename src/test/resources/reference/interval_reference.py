"""Reference enclosures for org.promptlimits.precision.Interval, computed with mpmath's interval arithmetic
(mpmath.iv, mpmath 1.3.0) at a working precision far above the one the Java test uses.

Regenerate: python3 interval_reference.py > interval_reference.txt   (seeded: the same file every time)

Each line: op, p (the decimal digits the Java side uses), the argument intervals as pairs of exact decimal
strings (lo hi), then the enclosure [L, U] that mpmath.iv computes at 3p + 40 digits, printed to p + 12
significant digits with L rounded toward -inf and U toward +inf. Ops: add sub mul div (two intervals),
sqrt exp log (one interval), softmax (k, n, then n intervals; the result is sigma_k evaluated as
1 / (1 + sum_{j != k} exp(a_j - a_k))).
"""
import random
from decimal import Decimal, ROUND_CEILING, ROUND_FLOOR, localcontext

import mpmath
from mpmath import iv

rng = random.Random(20261130)


def dec(x, sig):
    """A random decimal with sig significant digits and magnitude around 10^x."""
    digits = "".join(rng.choice("0123456789") for _ in range(sig))
    d = Decimal(("-" if rng.random() < 0.5 else "") + "0." + digits) * (Decimal(10) ** x)
    return d


def interval(center, rel_width, positive=False):
    c = abs(center) if positive else center
    if rel_width == 0:
        return (c, c)
    w = abs(c) * Decimal(rel_width) if c != 0 else Decimal(rel_width)
    lo, hi = c - w, c + w
    if positive and lo <= 0:
        lo = c / 2
    return (lo, hi)


def out(x, sig, rounding):
    s = mpmath.nstr(x, sig + 30, min_fixed=1, max_fixed=0)
    with localcontext() as ctx:
        ctx.prec = sig
        ctx.rounding = rounding
        return str(+Decimal(s))


def ivf(pair):
    return iv.mpf([str(pair[0]), str(pair[1])])


def emit(op, p, args, result):
    parts = [op, str(p)]
    for a in args:
        if isinstance(a, tuple):
            parts += [str(a[0]), str(a[1])]
        else:
            parts.append(str(a))
    lo, hi = result._mpi_
    parts += [out(mpmath.mp.make_mpf(lo), p + 12, ROUND_FLOOR), out(mpmath.mp.make_mpf(hi), p + 12, ROUND_CEILING)]
    print(" ".join(parts))


widths = [0, 0, Decimal("1e-30"), Decimal("1e-8"), Decimal("0.01")]
for case in range(3200):
    p = rng.choice([16, 30, 50, 100])
    iv.dps = 3 * p + 40
    mpmath.mp.dps = 3 * p + 40
    op = ["add", "sub", "mul", "div", "sqrt", "exp", "log", "softmax"][case % 8]
    sig = rng.choice([5, p, p + 10])
    w = rng.choice(widths)
    if op in ("add", "sub", "mul", "div"):
        a = interval(dec(rng.randint(-40, 40), sig), w)
        b = interval(dec(rng.randint(-40, 40), sig), w, positive=(op == "div"))
        if op == "div" and rng.random() < 0.5:
            b = (-b[1], -b[0])
        r = {"add": ivf(a) + ivf(b), "sub": ivf(a) - ivf(b), "mul": ivf(a) * ivf(b), "div": ivf(a) / ivf(b)}[op]
        emit(op, p, [a, b], r)
    elif op == "sqrt":
        a = interval(dec(rng.randint(-60, 60), sig), w, positive=True)
        emit(op, p, [a], iv.sqrt(ivf(a)))
    elif op == "exp":
        scale = rng.choice([-3, 0, 1, 2, 3, 4])
        a = interval(dec(scale, sig), w)
        emit(op, p, [a], iv.exp(ivf(a)))
    elif op == "log":
        a = interval(dec(rng.randint(-1200, 400), sig), w, positive=True)
        emit(op, p, [a], iv.log(ivf(a)))
    else:
        n = rng.randint(1, 5)
        k = rng.randrange(n)
        scale = rng.choice([0, 1, 2, 3])
        a = [interval(dec(scale, sig), rng.choice(widths)) for _ in range(n)]
        s = iv.mpf(0)
        for j in range(n):
            if j != k:
                s = s + iv.exp(ivf(a[j]) - ivf(a[k]))
        emit(op, p, [k, n] + a, 1 / (1 + s))
