package org.promptlimits.attention.fast;

import org.promptlimits.attention.Apti;

/**
 * Runs polynomial attention on a random APTI instance and prints "ok ..." with its certificate; started
 * by {@link PolynomialAttentionTest} in a JVM with {@code -Xmx1g}. Arguments: n d g.
 */
public final class Heap1GiB {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int g = Integer.parseInt(args[2]);
        Apti p = Apti.random(n, d, 1.0, 1e-3, 1.0 / d, 1);
        Certificate c = PolynomialAttention.ofDegree(d, g, 1.0 / d).attendCertified(p, 8, 1).certificate();
        if (!(c.measuredError() <= c.provenBound())) {
            throw new IllegalStateException("certificate does not hold: " + c);
        }
        System.out.println("ok n=" + n + " d=" + d + " g=" + g + " r=" + c.rank() + " err=" + c.measuredError()
                + " maxMemory=" + Runtime.getRuntime().maxMemory());
    }
}
