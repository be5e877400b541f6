package org.promptlimits.contextual;

import org.promptlimits.check.Require;
import org.promptlimits.core.Vectors;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Which tokens attend to which in the sequences of Lemma 2.2: the read query positions, and for every token
 * that occurs at a read position the set of tokens (keys) it attends to. The projections {@code vᵀz} of the
 * vocabulary on a direction v and the quantities of theory §3 steps 1–2 built from them (smallest score gap,
 * largest |vᵀz| over keys and queries, widest score range) are measured here.
 */
final class ReadGeometry {

    private final TokenwiseSeparation.Index index;
    private final int[] read;
    private final BitSet[] keysOf; // per read-query token id: the token ids it attends to

    ReadGeometry(TokenwiseSeparation.Index index, int[] readPositions, int n) {
        this.index = index;
        this.read = readPositions(readPositions, n);
        this.keysOf = keysOfReadQueries();
    }

    TokenwiseSeparation.Index index() {
        return index;
    }

    /** The read query positions, sorted; shared, not copied. */
    int[] read() {
        return read;
    }

    private static int[] readPositions(int[] positions, int n) {
        if (positions == null) {
            int[] all = new int[n];
            Arrays.setAll(all, k -> k);
            return all;
        }
        Require.that(positions.length > 0, "readPositions (empty) must name at least one query position");
        boolean[] seen = new boolean[n];
        for (int p : positions) {
            Require.inRange("readPositions entry", p, 0, n - 1);
            Require.that(!seen[p], "readPositions entry (" + p + ") must not repeat");
            seen[p] = true;
        }
        int[] sorted = positions.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    private BitSet[] keysOfReadQueries() {
        int k = index.vocabulary().length;
        BitSet[] keys = new BitSet[k];
        for (int[] seq : index.tokenIds()) {
            for (int p : read) {
                int q = seq[p];
                if (keys[q] == null) {
                    keys[q] = new BitSet(k);
                }
                for (int t : seq) {
                    keys[q].set(t);
                }
            }
        }
        return keys;
    }

    /** The token ids that occur at a read position. */
    BitSet readQueries() {
        BitSet q = new BitSet();
        for (int t = 0; t < keysOf.length; t++) {
            if (keysOf[t] != null) {
                q.set(t);
            }
        }
        return q;
    }

    /** The token ids some read query attends to. */
    BitSet allKeys() {
        BitSet all = new BitSet();
        for (BitSet keys : keysOf) {
            if (keys != null) {
                all.or(keys);
            }
        }
        return all;
    }

    /**
     * The score bound r = c q_max b_max that the empirical temperature would give for the unit direction v
     * (double); +∞ if v does not separate some query's keys.
     */
    double empiricalScoreBound(double[] v, double threshold) {
        double[][] voc = index.vocabulary();
        double[] p = new double[voc.length];
        double scale = 0;
        for (int t = 0; t < voc.length; t++) {
            p[t] = Vectors.dot(v, voc[t]);
            scale = Math.max(scale, Math.abs(p[t]));
        }
        // the bound is homogeneous of degree 0 in p: measured on p / max|p|, so that the products |p_x|·gap and
        // q·b neither fall to 0 (tokens of 1e-200) nor overflow
        for (int t = 0; t < voc.length && scale > 0; t++) {
            p[t] /= scale;
        }
        double gap = Double.POSITIVE_INFINITY;
        double q = 0;
        double b = 0;
        for (int x = 0; x < keysOf.length; x++) {
            if (keysOf[x] == null) {
                continue;
            }
            double keyGap = smallestGap(p, keysOf[x]);
            gap = Math.min(gap, Math.abs(p[x]) * keyGap);
            q = Math.max(q, Math.abs(p[x]));
            for (int t = keysOf[x].nextSetBit(0); t >= 0; t = keysOf[x].nextSetBit(t + 1)) {
                b = Math.max(b, Math.abs(p[t]));
            }
        }
        if (!(gap > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        return threshold / gap * q * b;
    }

    private static double smallestGap(double[] p, BitSet keys) {
        double[] s = keys.stream().mapToDouble(t -> p[t]).sorted().toArray();
        double gap = Double.POSITIVE_INFINITY;
        for (int i = 1; i < s.length; i++) {
            gap = Math.min(gap, s[i] - s[i - 1]);
        }
        return gap;
    }

    /** The projections vᵀz of every vocabulary token, each sum rounded to {@code mc}. */
    BigDecimal[] projections(BigDecimal[] direction, MathContext mc) {
        BigDecimal[][] voc = index.exact();
        BigDecimal[] p = new BigDecimal[voc.length];
        for (int t = 0; t < voc.length; t++) {
            BigDecimal s = BigDecimal.ZERO;
            for (int i = 0; i < direction.length; i++) {
                s = s.add(direction[i].multiply(voc[t][i], mc), mc);
            }
            p[t] = s;
        }
        return p;
    }

    /** min over read-query tokens x and distinct keys z, z' of |vᵀx|·|vᵀz − vᵀz'| (to {@code mc}). */
    BigDecimal smallestGapProduct(BigDecimal[] p, MathContext mc) {
        BigDecimal best = null;
        for (int x = 0; x < keysOf.length; x++) {
            if (keysOf[x] == null) {
                continue;
            }
            BigDecimal[] s = keysOf[x].stream().mapToObj(t -> p[t]).sorted().toArray(BigDecimal[]::new);
            for (int i = 1; i < s.length; i++) {
                BigDecimal g = p[x].abs().multiply(s[i].subtract(s[i - 1]), mc);
                best = best == null ? g : best.min(g);
            }
        }
        if (best == null || best.signum() == 0) {
            throw new IllegalStateException("the projection v gives a zero score gap (two keys of a read query"
                    + " project to the same value): raise draws, or fix another v");
        }
        return best;
    }

    /**
     * The largest max a − min a over the read queries: c·|vᵀx|·(spread of vᵀz over one sequence), multiplied in
     * BigDecimal: the range does not change with the tokens' scale, but c goes as its inverse square (above
     * double's range for tokens of 1e-160, whose projections fall below it when squared).
     */
    double largestScoreRange(BigDecimal[] p, BigDecimal c) {
        BigDecimal widest = BigDecimal.ZERO;
        for (int[] seq : index.tokenIds()) {
            BigDecimal lo = p[seq[0]];
            BigDecimal hi = p[seq[0]];
            for (int t : seq) {
                lo = lo.min(p[t]);
                hi = hi.max(p[t]);
            }
            BigDecimal spread = hi.subtract(lo, MathContext.DECIMAL64);
            for (int pos : read) {
                widest = widest.max(c.multiply(p[seq[pos]].abs(), MathContext.DECIMAL64)
                        .multiply(spread, MathContext.DECIMAL64));
            }
        }
        return widest.doubleValue();
    }

    /** max |p_t| over the token ids in {@code which}. */
    static BigDecimal maxAbs(BigDecimal[] p, BitSet which) {
        BigDecimal m = BigDecimal.ZERO;
        for (int t = which.nextSetBit(0); t >= 0; t = which.nextSetBit(t + 1)) {
            m = m.max(p[t].abs());
        }
        return m;
    }
}
