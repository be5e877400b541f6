package org.promptlimits.bench;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.exact.BlockedAttention;
import org.promptlimits.attention.fast.Certificate;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.Sequences;

import java.util.Locale;

/**
 * What {@code scripts/bench} prints beside the JMH times: the JVM and the kernels it picked, the degree,
 * rank and certificates of the polynomial rows, and the digits Lemma 2.2's THEORY case runs at (the mpmath
 * baseline is run at the same digits). Nothing here is timed.
 */
public final class Report {

    private Report() {
    }

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        System.out.printf("JVM: %s %s (%s); cores: %d; exact attention: %s; polynomial method: %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("java.vendor"), Runtime.getRuntime().availableProcessors(),
                BlockedAttention.create().backend(), PolynomialAttention.ofDegree(2, 1, 1).backend());
        System.out.println();
        polynomialCertificates();
        System.out.println("lemma22 digits " + lemma22Digits());
    }

    /** The polynomial rows of the benchmark's APTI target: d = 8, n = 16384, B = 1, δF = 1e-3, β = 1/d. */
    static void polynomialCertificates() {
        int n = 16384;
        int d = 8;
        double deltaF = 1e-3;
        Apti p = Apti.random(n, d, 1.0, deltaF, 1.0 / d, 42);
        System.out.println("| degree rule | precision | g | r | R (a priori) | a-priori bound | R' (instance) | a-posteriori bound "
                + "| rounding ρ | measured error (1024 rows) | ≤ δF proven |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String rule : PolynomialBench.RULES) {
            PolynomialAttention pa = PolynomialBench.method(rule, p);
            Certificate c = pa.certify(p, pa.attend(p), 1024, 42);
            System.out.printf("| %s | %s | %d | %d | %.3f | %.2e | %.3f | %.2e | %.2e | %.2e | %s |%n", rule,
                    pa.precision(), pa.degree(), pa.rank(), c.scoreBound(), c.provenBound(), c.instanceScoreBound(),
                    c.instanceBound(), c.roundingBound(), c.measuredError(), c.meetsDeltaF() ? "yes" : "no");
        }
        System.out.println();
    }

    /** The digits of the exact evaluation of notebook 02's THEORY case: its precision plan. */
    static int lemma22Digits() {
        Sequences s = Sequences.allArrangements(ExactArithmeticBench.VOCABULARY, 2, 100);
        return ContextualMapping.construct(s, ContextualMapping.Constants.THEORY).plan().digits();
    }
}
