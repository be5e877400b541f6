package org.promptlimits.attention.exact;

/**
 * The inner loops of {@link BlockedAttention}: exact attention for query rows [i0, i1), fused and blocked
 * as in online-softmax ("flash") attention. For each tile of {@link TilePlan#queryTile()} query rows and each
 * tile of {@link TilePlan#keyTile()} keys: scores S = Q_tile K_tile^T, running max m and sum l per row,
 * weights e^{S − m}, and acc ← acc·e^{m_old − m_new} + e^{S − m} V_tile; finally out = acc / l. A kernel may
 * take the query tiles of a {@link TilePlan#queryBlock()} together, each key tile passing all of them in turn.
 * Memory per call: queryTile × keyTile + queryBlock × (d + dv) numbers, whatever n and m are.
 *
 * <p>Queries arrive as given, with β beside them (each kernel scales them as its scores need); keys arrive in the
 * layout {@link #packKeys(float[], int, int, int, int, float[])} makes, so that score updates run along contiguous keys.
 */
interface TileKernel {

    /** A short name: "scalar" or "vector(...)". */
    String name();

    /** Key tiles must be a multiple of this many keys (the packing group) for numbers of this many bytes. */
    default int keyGroup(int bytes) {
        return 1;
    }

    /**
     * Whether float32 attention with this value width is faster when computed in float64 by this kernel
     * (measured: the Vector API's 256-bit float species on JDK 17 with AVX-512, used for dv = 8).
     */
    default boolean floatViaDouble(int dv) {
        return false;
    }

    /** Whether every entry of a[from, to) is finite (a fast test; the caller finds the first bad entry when it is not). */
    default boolean allFinite(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether every entry of a[from, to) is finite (a fast test; the caller finds the first bad entry when it is not). */
    default boolean allFinite(double[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }

    /** Room for m keys of d coordinates in this kernel's layout ({@link #packKeys(float[], int, int, int, int, float[])}). */
    float[] keyBuffer(float[] k, int m, int d);

    /** Room for m keys of d coordinates in this kernel's layout ({@link #packKeys(double[], int, int, int, int, double[])}). */
    double[] keyBuffer(double[] k, int m, int d);

    /**
     * Keys [j0, j1) of k (m×d row-major, not modified) into kt, made by {@link #keyBuffer(float[], int, int)}. Calls
     * for disjoint key ranges may run at the same time.
     */
    void packKeys(float[] k, int m, int d, int j0, int j1, float[] kt);

    /** {@link #packKeys(float[], int, int, int, int, float[])} for float64. */
    void packKeys(double[] k, int m, int d, int j0, int j1, double[] kt);

    /**
     * Room for the values (m×dv row-major) in this kernel's layout, for {@code vp} of {@link #rows}; v itself when the
     * kernel needs none.
     */
    default float[] valueBuffer(float[] v, int m, int dv) {
        return v;
    }

    /** {@link #valueBuffer(float[], int, int)} for float64. */
    default double[] valueBuffer(double[] v, int m, int dv) {
        return v;
    }

    /**
     * Value rows [j0, j1) of v into vp, made by {@link #valueBuffer(float[], int, int)} (nothing to do when vp is v).
     * Calls for disjoint ranges may run at the same time.
     */
    default void packValues(float[] v, int m, int dv, int j0, int j1, float[] vp) {
    }

    /** {@link #packValues(float[], int, int, int, int, float[])} for float64. */
    default void packValues(double[] v, int m, int dv, int j0, int j1, double[] vp) {
    }

    /**
     * float32 rows [i0, i1) of the output softmax(β q ktᵀ) v. q n×d, kt packed keys, v m×dv, out n×dv, all
     * row-major; vp the values as {@link #packValues(float[], int, int, int, int, float[])} laid them out.
     */
    void rows(int i0, int i1, int m, int d, int dv, float[] q, double beta, float[] kt, float[] v, float[] vp,
              float[] out, TilePlan plan);

    /**
     * float64 rows [i0, i1) of the output softmax(β q ktᵀ) v. q n×d, kt packed keys, v m×dv, out n×dv, all
     * row-major; vp the values as {@link #packValues(double[], int, int, int, int, double[])} laid them out.
     */
    void rows(int i0, int i1, int m, int d, int dv, double[] q, double beta, double[] kt, double[] v, double[] vp,
              double[] out, TilePlan plan);
}
