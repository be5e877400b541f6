package org.promptlimits.attention.exact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Tile sizes follow the cache sizes read from the operating system, not constants of one CPU. */
class TilePlanTest {

    private static void cache(Path dir, int index, int level, String type, String size) throws IOException {
        Path p = dir.resolve("index" + index);
        Files.createDirectories(p);
        Files.writeString(p.resolve("level"), level + "\n");
        Files.writeString(p.resolve("type"), type + "\n");
        Files.writeString(p.resolve("size"), size + "\n");
    }

    @Test
    void cacheSizesAreReadFromSysfsAndAssumedWhenAbsent(@TempDir Path dir) throws IOException {
        cache(dir, 0, 1, "Data", "48K");
        cache(dir, 1, 1, "Instruction", "32K");
        cache(dir, 2, 2, "Unified", "2048K");
        cache(dir, 3, 3, "Unified", "105M");
        CacheSizes c = CacheSizes.read(dir);
        assertEquals(48 << 10, c.l1d());
        assertEquals(2 << 20, c.l2());
        assertTrue(c.detected());
        CacheSizes none = CacheSizes.read(dir.resolve("missing"));
        assertFalse(none.detected());
        assertEquals(512 << 10, none.l2());
        assertEquals(3L << 20, CacheSizes.parseSize("3M"));
        assertEquals(4096, CacheSizes.parseSize("4096"));
    }

    @Test
    void keyTileFillsAQuarterOfL2AndIsAMultipleOfTheKeyGroup() {
        CacheSizes half = new CacheSizes(32 << 10, 512 << 10, true);
        CacheSizes two = new CacheSizes(48 << 10, 2 << 20, true);
        // d = dv = 64: a key and its value are 512 bytes in float32, 1024 in float64
        assertEquals(256, TilePlan.of(half, 4, 64, 64, 16).keyTile());
        assertEquals(128, TilePlan.of(half, 8, 64, 64, 8).keyTile());
        assertEquals(1024, TilePlan.of(two, 4, 64, 64, 32).keyTile());
        assertEquals(512, TilePlan.of(two, 8, 64, 64, 16).keyTile());
        // tiny heads: capped; huge heads: one key group
        assertEquals(TilePlan.MAX_KEY_TILE, TilePlan.of(half, 4, 2, 2, 16).keyTile());
        assertEquals(16, TilePlan.of(half, 8, 100_000, 100_000, 16).keyTile());
        assertEquals(TilePlan.QUERY_TILE, TilePlan.of(half, 4, 64, 64, 16).queryTile());
    }

    @Test
    void queryBlockFillsAnotherQuarterOfL2AndShrinksToGiveEveryThreadWork() {
        CacheSizes half = new CacheSizes(32 << 10, 512 << 10, true);
        CacheSizes two = new CacheSizes(48 << 10, 2 << 20, true);
        // d = dv = 64: a row's packed query and accumulator are 512 bytes in float32, 1024 in float64
        assertEquals(256, TilePlan.of(half, 4, 64, 64, 16).queryBlock());
        assertEquals(128, TilePlan.of(half, 8, 64, 64, 8).queryBlock());
        assertEquals(TilePlan.MAX_QUERY_BLOCK, TilePlan.of(two, 4, 64, 64, 32).queryBlock());
        assertEquals(512, TilePlan.of(two, 8, 64, 64, 16).queryBlock());
        assertEquals(TilePlan.QUERY_TILE, TilePlan.of(half, 8, 100_000, 100_000, 16).queryBlock());
        TilePlan p = TilePlan.of(half, 4, 64, 64, 16);
        assertEquals(256, p.withBlocksFor(1024, 4).queryBlock());
        assertEquals(128, p.withBlocksFor(512, 4).queryBlock());
        assertEquals(64, p.withBlocksFor(200, 4).queryBlock());
        assertEquals(64, p.withBlocksFor(10, 4).queryBlock());
        assertEquals(p.keyTile(), p.withBlocksFor(10, 4).keyTile());
    }

    @Test
    void aQueryBlockThatIsNotWholeTilesIsRefused() {
        for (int qb : new int[] {100, 32}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TilePlan(64, qb, 32, 32));
            assertEquals("queryBlock (" + qb + ") must be a positive multiple of queryTile (64)", e.getMessage());
        }
        assertEquals(128, new TilePlan(64, 128, 32, 32).queryBlock());
        for (int vk : new int[] {0, 64}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TilePlan(64, 128, 32, vk));
            assertEquals("valueKeys (" + vk + ") must be in [1, keyTile (32)]", e.getMessage());
        }
    }

    @Test
    void valuePassesFillPartOfL1d() {
        CacheSizes l1of32 = new CacheSizes(32 << 10, 2 << 20, true);
        CacheSizes l1of48 = new CacheSizes(48 << 10, 2 << 20, true);
        // a key's part of a column chunk (the key group wide) and 6 score rows: AVX-512 float64 (16 + 6)·8 = 176
        // bytes, float32 (32 + 6)·4 = 152; AVX2 float64 (8 + 6)·8 = 112, float32 (16 + 6)·4 = 88
        // half of L1d: 16 KiB holds 93 float64 keys (64 = 16·2^2), 24 KiB 139 (128)
        assertEquals(64, TilePlan.of(l1of32, 8, 64, 64, 16).valueKeys());
        assertEquals(128, TilePlan.of(l1of48, 8, 64, 64, 16).valueKeys());
        assertEquals(64, TilePlan.of(l1of32, 4, 64, 64, 32).valueKeys());       // 107 keys
        assertEquals(128, TilePlan.of(l1of48, 4, 64, 64, 32).valueKeys());      // 161
        assertEquals(128, TilePlan.of(l1of32, 8, 64, 64, 8).valueKeys());       // 146
        assertEquals(256, TilePlan.of(l1of48, 4, 64, 64, 16).valueKeys());      // 279
        // at most the key tile (a large L1 beside a small L2), at least one key group (a tiny L1)
        TilePlan big = TilePlan.of(new CacheSizes(1 << 20, 256 << 10, true), 8, 64, 64, 16);
        assertEquals(big.keyTile(), big.valueKeys());
        assertEquals(16, TilePlan.of(new CacheSizes(1 << 10, 2 << 20, true), 8, 64, 64, 16).valueKeys());
        assertEquals(big.valueKeys(), big.withBlocksFor(10, 4).valueKeys());
    }

    @Test
    void scoreBlockRowsFollowTheVectorRegistersTheSpeciesImplies() {
        // AVX-512 (512-bit species) and AArch64 have 32 vector registers, AVX2 and SSE 16
        assertEquals(32, TilePlan.vectorRegisters(512, "amd64"));
        assertEquals(16, TilePlan.vectorRegisters(256, "amd64"));
        assertEquals(16, TilePlan.vectorRegisters(128, "amd64"));
        assertEquals(32, TilePlan.vectorRegisters(128, "aarch64"));
        // 6 rows need 12 accumulators + 2 key vectors + 3 broadcasts = 17 registers
        assertEquals(6, TilePlan.scoreRows(32));
        assertEquals(6, TilePlan.scoreRows(17));
        assertEquals(4, TilePlan.scoreRows(16));
    }

    @Test
    void manyKeyTilesAndTwoThreadsAgreeWithTheReference() {
        int n = 67, m = 1100, d = 16, dv = 40; // 5 key tiles of 256 at L2 = 512 KiB
        java.util.Random rnd = new java.util.Random(3);
        double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
        for (double[] a : new double[][] {q, k, v}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = 2 * rnd.nextDouble() - 1;
            }
        }
        double[] expected = new double[n * dv];
        ReferenceAttention.create().attend(n, m, d, dv, q, k, v, 0.125, expected);
        for (BlockedAttention.Backend b : BlockedAttention.vectorAvailable()
                ? new BlockedAttention.Backend[] {BlockedAttention.Backend.SCALAR, BlockedAttention.Backend.VECTOR}
                : new BlockedAttention.Backend[] {BlockedAttention.Backend.SCALAR}) {
            double[] out = new double[n * dv];
            BlockedAttention.of(b, 2).attend(n, m, d, dv, q, k, v, 0.125, out);
            double err = 0;
            for (int i = 0; i < out.length; i++) {
                err = Math.max(err, Math.abs(out[i] - expected[i]));
            }
            assertTrue(err < 1e-13, b + " error " + err);
        }
    }

    /**
     * The value products in passes of any number of keys give the bits of one pass over the whole key tile (the
     * order before the passes existed): every sum still adds its keys in increasing order. Shapes with whole column
     * chunks and a tail (dv = 64, 40), query tiles of 64 rows (6-row blocks and a 4-row one) and of 3, and a last
     * key tile of 76 keys, not a multiple of any pass.
     */
    @Test
    void valuePassesOfAnySizeGiveTheBitsOfOnePass() {
        assumeTrue(BlockedAttention.vectorAvailable(), "jdk.incubator.vector not in the boot layer");
        int n = 67, m = 1100, d = 16;
        for (int dv : new int[] {64, 40}) {
            java.util.Random rnd = new java.util.Random(dv);
            double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
            for (double[] a : new double[][] {q, k, v}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = 2 * rnd.nextDouble() - 1;
                }
            }
            float[] qf = toFloat(q), kf = toFloat(k), vf = toFloat(v);
            double[] one = new double[n * dv];
            float[] onef = new float[n * dv];
            String tile = System.getProperty("promptlimits.attention.keyTile");
            System.setProperty("promptlimits.attention.keyTile", "256");
            try {
                attendWithValueKeys("256", n, m, d, dv, q, k, v, one, qf, kf, vf, onef);
                for (String keys : new String[] {"1", "48", "100"}) {       // one key group, 3 of 16, 100 → 96
                    double[] out = new double[n * dv];
                    float[] outf = new float[n * dv];
                    attendWithValueKeys(keys, n, m, d, dv, q, k, v, out, qf, kf, vf, outf);
                    for (int i = 0; i < out.length; i++) {
                        int at = i;
                        assertEquals(Double.doubleToRawLongBits(one[i]), Double.doubleToRawLongBits(out[i]),
                                () -> "float64, dv " + dv + ", valueKeys " + keys + ", entry " + at);
                        assertEquals(Float.floatToRawIntBits(onef[i]), Float.floatToRawIntBits(outf[i]),
                                () -> "float32, dv " + dv + ", valueKeys " + keys + ", entry " + at);
                    }
                }
            } finally {
                restore("promptlimits.attention.keyTile", tile);
            }
        }
    }

    private static void attendWithValueKeys(String keys, int n, int m, int d, int dv, double[] q, double[] k,
                                            double[] v, double[] out, float[] qf, float[] kf, float[] vf,
                                            float[] outf) {
        String before = System.getProperty("promptlimits.attention.valueKeys");
        System.setProperty("promptlimits.attention.valueKeys", keys);
        try {
            BlockedAttention a = BlockedAttention.of(BlockedAttention.Backend.VECTOR, 1);
            a.attend(n, m, d, dv, q, k, v, 0.125, out);
            a.attend(n, m, d, dv, qf, kf, vf, 0.125, outf);
        } finally {
            restore("promptlimits.attention.valueKeys", before);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
