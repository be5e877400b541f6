package org.promptlimits.attention.exact;

import org.promptlimits.check.Require;

/**
 * Tile sizes of the blocked kernels, chosen from the cache sizes of the machine ({@link CacheSizes}) and the
 * shapes, never tuned to one CPU: a query tile of {@value #QUERY_TILE} rows sweeps key tiles whose keys
 * and values, keyTile·(d + dv) numbers, fill at most a quarter of L2 (so they stay there, beside the score
 * tile, while the query tile passes over them), rounded down to a power of two and to a multiple of the
 * kernel's key group, between one group and {@value #MAX_KEY_TILE} keys.
 *
 * <p>The system property {@code promptlimits.attention.keyTile} overrides the key tile (rounded to the key
 * group) for measuring the choice.
 *
 * @param queryTile query rows per tile
 * @param keyTile   keys per tile, a multiple of the kernel's key group
 */
record TilePlan(int queryTile, int keyTile) {

    /** Query rows per tile (a multiple of the micro-kernels' 4 rows). */
    static final int QUERY_TILE = 64;
    /** The largest key tile. */
    static final int MAX_KEY_TILE = 1024;

    TilePlan {
        Require.positive("queryTile", queryTile);
        Require.positive("keyTile", keyTile);
    }

    /**
     * The plan for numbers of {@code bytes} bytes, head dimension d, value width dv and a kernel that needs
     * key tiles in multiples of {@code keyGroup}.
     */
    static TilePlan of(CacheSizes caches, int bytes, int d, int dv, int keyGroup) {
        Integer forced = Integer.getInteger("promptlimits.attention.keyTile");
        int kt;
        if (forced != null && forced > 0) {
            kt = Math.max(keyGroup, forced / keyGroup * keyGroup);
        } else {
            long budget = caches.l2() / 4;
            long perKey = (long) (d + dv) * bytes;
            kt = MAX_KEY_TILE;
            while (kt > keyGroup && (long) kt * perKey > budget) {
                kt /= 2;
            }
            kt = Math.max(keyGroup, kt / keyGroup * keyGroup);
        }
        return new TilePlan(QUERY_TILE, kt);
    }
}
