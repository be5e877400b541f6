package org.promptlimits.bench;

import org.promptlimits.attention.Apti;
import org.promptlimits.attention.exact.BlockedAttention;
import org.promptlimits.attention.fast.Certificate;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.Sequences;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The polynomial row of the benchmark's APTI target: d = 8, n = 16384, B = 1, δF = 1e-3, β = 1/d. */
    static void polynomialCertificates() {
        int n = 16384;
        int d = 8;
        double deltaF = 1e-3;
        System.out.println("| d | n | δF | g | r | a-priori bound (R = βdB²) | measured error (256 rows) |");
        System.out.println("|---|---|---|---|---|---|---|");
        PolynomialAttention pa = PolynomialAttention.forError(1.0, deltaF, 1.0 / d, d);
        Apti p = Apti.random(n, d, 1.0, deltaF, 1.0 / d, 42);
        Certificate c = pa.certify(p, pa.attend(p), 256, 42);
        System.out.printf("| %d | %d | %.0e | %d | %d | %.2e | %.2e |%n", d, n, deltaF, pa.degree(), pa.rank(),
                c.provenBound(), c.measuredError());
        System.out.println();
    }

    /** The digits of the exact evaluation of notebook 02's THEORY case, read from its check table. */
    static int lemma22Digits() {
        Sequences s = Sequences.allArrangements(ExactArithmeticBench.VOCABULARY, 2, 100);
        String table = ContextualMapping.construct(s, ContextualMapping.Constants.THEORY).checks().toString();
        Matcher m = Pattern.compile("BigDecimal at (\\d+) digits").matcher(table);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
