"""Reference digits for BigMath (exp, log, sqrt, pi), computed with mpmath 1.3.0 at 1,250 digits and printed
to 1,200 significant digits. Regenerate: python3 bigmath_reference.py > bigmath_reference.txt

Each line: function, argument (a decimal string, read exactly), 1,200 significant digits of the result.
"""
import mpmath

mpmath.mp.dps = 1250
rows = [
    ("pi", "0", mpmath.pi),
    ("e", "0", mpmath.e),
    ("ln10", "0", mpmath.log(10)),
]
for x in ["1", "0.5", "-0.3", "123.456", "1e-30", "-2.5e-7", "3000.25", "-7019.123456789", "-2602.15", "20.75"]:
    rows.append(("exp", x, mpmath.exp(mpmath.mpf(x))))
for x in ["2", "10", "0.001", "1e-1133", "7.5e400", "1.0000001"]:
    rows.append(("log", x, mpmath.log(mpmath.mpf(x))))
for x in ["2", "3.38", "1e-1000"]:
    rows.append(("sqrt", x, mpmath.sqrt(mpmath.mpf(x))))
for name, x, value in rows:
    print(name, x, mpmath.nstr(value, 1200, min_fixed=1, max_fixed=0))
