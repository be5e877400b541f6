package org.promptlimits.attention.exact;

import org.promptlimits.check.Require;

/**
 * Tile sizes of the blocked kernels, chosen from the cache sizes of the machine ({@link CacheSizes}) and the
 * shapes, never tuned to one CPU: a query tile of {@value #QUERY_TILE} rows sweeps key tiles whose keys
 * and values, keyTile·(d + dv) numbers, fill at most a quarter of L2 (so they stay there, beside the score
 * tile, while the query tile passes over them), rounded down to a power of two and to a multiple of the
 * kernel's key group, between one group and {@value #MAX_KEY_TILE} keys. Query tiles are grouped in blocks
 * whose packed queries and accumulators, queryBlock·(d + dv) numbers, fill at most another quarter of L2: every
 * tile of a block passes over a key tile before the next key tile is read, so keys and values come from memory
 * once per block (a power of two times the query tile, at most {@value #MAX_QUERY_BLOCK} rows).
 *
 * <p>The system properties {@code promptlimits.attention.keyTile} and {@code promptlimits.attention.queryBlock}
 * override the key tile (rounded to the key group) and the query block (rounded to query tiles) for measuring
 * the choice.
 *
 * @param queryTile  query rows per tile
 * @param queryBlock query rows per block, a multiple of queryTile
 * @param keyTile    keys per tile, a multiple of the kernel's key group
 */
record TilePlan(int queryTile, int queryBlock, int keyTile) {

    /** Query rows per tile (a multiple of the micro-kernels' 4 rows). */
    static final int QUERY_TILE = 64;
    /** The largest key tile. */
    static final int MAX_KEY_TILE = 1024;
    /** The largest query block. */
    static final int MAX_QUERY_BLOCK = 1024;

    /**
     * Vector registers of the instruction set that vectors of {@code bits} bits on architecture {@code arch} (the
     * {@code os.arch} property) imply: 32 on AArch64 and with 512-bit vectors (AVX-512 on x86), 16 otherwise (AVX2
     * and SSE on x86).
     */
    static int vectorRegisters(int bits, String arch) {
        return bits >= 512 || "aarch64".equals(arch) ? 32 : 16;
    }

    /**
     * Query rows per block of the score micro-kernel with {@code registers} vector registers: 6 when its 12
     * accumulators (6 rows × 2 key vectors), the 2 key vectors and 3 query broadcasts in flight fit, else 4 (8
     * accumulators). With 16 registers a 6-row block needs 17, and a compiler that keeps 3 broadcasts live (JDK 25's
     * C2 does) spills an accumulator to the stack in every step of the inner loop. Every score is the same sum in
     * the same order whatever the block, so the choice changes speed, not bits.
     */
    static int scoreRows(int registers) {
        return 6 * 2 + 2 + 3 <= registers ? 6 : 4;
    }

    TilePlan {
        Require.positive("queryTile", queryTile);
        Require.positive("keyTile", keyTile);
        if (queryBlock < queryTile || queryBlock % queryTile != 0) {      // the message built only when it fails
            throw new IllegalArgumentException("queryBlock (" + queryBlock + ") must be a positive multiple of "
                    + "queryTile (" + queryTile + ")");
        }
    }

    /**
     * The plan for numbers of {@code bytes} bytes, head dimension d, value width dv and a kernel that needs
     * key tiles in multiples of {@code keyGroup}.
     */
    static TilePlan of(CacheSizes caches, int bytes, int d, int dv, int keyGroup) {
        long quarter = caches.l2() / 4;
        long perKeyOrRow = (long) (d + dv) * bytes;       // a key and its value; a row's query and accumulator
        int kt = largestFitting("promptlimits.attention.keyTile", keyGroup, MAX_KEY_TILE, perKeyOrRow, quarter);
        int qb = largestFitting("promptlimits.attention.queryBlock", QUERY_TILE, MAX_QUERY_BLOCK, perKeyOrRow,
                quarter);
        return new TilePlan(QUERY_TILE, qb, kt);
    }

    /**
     * The largest unit·2^i (i ≥ 0) not above max whose items of perItem bytes fit in budget, and at least unit;
     * or, when the system property is set, its value rounded down to a multiple of unit (at least unit).
     */
    private static int largestFitting(String property, int unit, int max, long perItem, long budget) {
        Integer forced = Integer.getInteger(property);
        if (forced != null && forced > 0) {
            return Math.max(unit, forced / unit * unit);
        }
        int c = unit;
        while (2L * c <= max && 2L * c * perItem <= budget) {
            c *= 2;
        }
        return c;
    }

    /**
     * This plan with the query block halved (not below one tile) until n rows make at least {@code tasks} blocks:
     * work for every thread. The output does not depend on the block, only on the tiles, which stay the same.
     */
    TilePlan withBlocksFor(int n, int tasks) {
        int qb = queryBlock;
        while (qb > queryTile && (n + qb - 1) / qb < tasks) {
            qb /= 2;
        }
        qb = Math.max(queryTile, qb / queryTile * queryTile);
        return new TilePlan(queryTile, qb, keyTile);
    }
}
