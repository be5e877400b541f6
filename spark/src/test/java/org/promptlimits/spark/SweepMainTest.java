package org.promptlimits.spark;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of scripts/sweep (no Spark session: parsing only). */
class SweepMainTest {

    @Test
    void optionsAreRead() {
        SweepMain.Args a = SweepMain.parse(new String[] {"distance", "--grid", "g.txt", "--master", "local[2]",
                "--out", "o.parquet", "--overwrite", "--seed", "8", "--csv", "t.csv"});
        assertEquals(new SweepMain.Args("distance", Path.of("g.txt"), "local[2]", "o.parquet", true, 8L, false,
                Path.of("t.csv")), a);
        SweepMain.Args defaults = SweepMain.parse(new String[] {"phase"});
        assertTrue(defaults.out().endsWith("target/sweeps/phase.parquet"), defaults.out());
        assertEquals(null, defaults.csv());
    }

    @Test
    void badCommandLinesAreRefusedNamingTheProblem() {
        bad("no sweep named", new String[] {});
        bad("unknown sweep 'phases'", new String[] {"phases"});
        bad("--csv needs a value", new String[] {"phase", "--csv"});
        bad("--seed x is not an integer", new String[] {"phase", "--seed", "x"});
        bad("unknown option '--cores'", new String[] {"phase", "--cores", "2"});
        bad("--local runs without Spark: it takes no --master or --out",
                new String[] {"phase", "--local", "--out", "o.parquet"});
    }

    private static void bad(String expected, String[] argv) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepMain.parse(argv));
        assertEquals(expected, e.getMessage());
    }
}
