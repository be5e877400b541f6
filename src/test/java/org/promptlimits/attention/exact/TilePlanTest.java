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
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TilePlan(64, qb, 32));
            assertEquals("queryBlock (" + qb + ") must be a positive multiple of queryTile (64)", e.getMessage());
        }
        assertEquals(128, new TilePlan(64, 128, 32).queryBlock());
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
}
