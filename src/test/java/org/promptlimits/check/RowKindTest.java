package org.promptlimits.check;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

class RowKindTest {

    private final Check check = Check.of("A1", "1 ≤ 2", "theory §2.3 [L]", 1, Relation.AT_MOST, 2, "m");
    private final Check fact = Check.fact("S1", "three layers", "theory §5.2 [C]", 3, 3, "count");

    @Test
    void factsAreNotCountedAsChecks() {
        CheckTable t = CheckTable.of("t", fact, check);
        assertEquals("1 of 1 checks hold; 1 construction fact", t.summary());
        assertEquals(java.util.List.of(check), t.checkRows());
        assertEquals(java.util.List.of(fact), t.facts());
        String text = t.toString();
        assertTrue(text.indexOf("A1") < text.indexOf(CheckTable.FACTS_HEADING), text);
        assertTrue(text.indexOf(CheckTable.FACTS_HEADING) < text.indexOf("S1"), text);
        assertTrue(t.toHtml().contains("data-kind=\"fact\""));
    }

    @Test
    void aFactThatDoesNotHoldStillFailsTheTable() {
        CheckTable t = CheckTable.of("t", check, Check.fact("S2", "width", "theory §5.2 [C]", 4, 5, "count"));
        assertFalse(t.allHold());
        assertEquals("1 of 1 checks hold; 1 construction fact (1 FAILED: S2)", t.summary());
        assertThrows(IllegalStateException.class, t::assertAllHold);
    }

    @Test
    void aConstructionFactCannotCarryThePapersTag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Check.fact("S1", "layers", "theory §5.2 [P]", 3, 3, "count"));
        assertTrue(e.getMessage().contains("spec (theory §5.2 [P]) of S1 must not carry [P]"), e.getMessage());
        Check paper = Check.of("U1", "x ≤ 1", "theory §5.2 [P]", 0.5, Relation.AT_MOST, 1, "m");
        assertThrows(IllegalArgumentException.class, paper::asFact);
    }

    @Test
    void aCertifiedRowIsDecidedByTheFarEndOfItsEnclosure() {
        BigDecimal bound = new BigDecimal("1");
        Check inside = Check.certified("C1", "x < 1", "s", new BigDecimal("0.5"), new BigDecimal("0.9"),
                Relation.LESS_THAN, bound, "interval");
        assertTrue(inside.holds());
        assertTrue(inside.certified());
        assertEquals(0, inside.measured().compareTo(new BigDecimal("0.9")), "the decisive end is shown");
        assertEquals(0, inside.enclosure().width().compareTo(new BigDecimal("0.4")));
        // the midpoint is below the bound but the interval straddles it: not proved, so it does not hold
        Check straddles = Check.of("C2", "x ≤ 1", "s", new BigDecimal("0.99"), Relation.AT_MOST, bound, "interval")
                .certifiedBy(Check.Enclosure.of(new BigDecimal("0.98"), new BigDecimal("1.01"), bound));
        assertFalse(straddles.holds());
        Check below = Check.certified("C3", "x > 1e-5", "s", new BigDecimal("2e-5"), new BigDecimal("3e-5"),
                Relation.GREATER_THAN, new BigDecimal("1e-5"), "interval");
        assertTrue(below.holds());
        assertEquals(0, below.measured().compareTo(new BigDecimal("2e-5")));
        // a bound known only as an interval: its near end decides
        Check boundInterval = Check.of("C4", "x ≤ b", "s", new BigDecimal("1"), Relation.AT_MOST, new BigDecimal("1.5"), "i")
                .certifiedBy(new Check.Enclosure(new BigDecimal("1"), new BigDecimal("1"), new BigDecimal("0.99"), new BigDecimal("2")));
        assertFalse(boundInterval.holds());
    }

    @Test
    void certifiedColumnAndWidthAreShown() {
        Check c = Check.certified("C1", "x < 1", "s", new BigDecimal("0.5"), new BigDecimal("0.75"),
                Relation.LESS_THAN, BigDecimal.ONE, "interval");
        String text = CheckTable.of("t", c, check).toString();
        String[] lines = text.split("\n");
        assertTrue(lines[1].contains("certified") && lines[1].contains("width"), lines[1]);
        assertTrue(lines[2].contains(" yes ") && lines[2].contains("0.25"), lines[2]);
        assertTrue(lines[3].contains(" no ") && lines[3].contains("—"), lines[3]);
    }

    @Test
    void anEnclosureMustContainTheShownValues() {
        assertThrows(IllegalArgumentException.class, () -> Check.of("C", "x", "s", new BigDecimal("2"), Relation.AT_MOST, BigDecimal.ONE, "m")
                .certifiedBy(Check.Enclosure.of(BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE)));
        assertThrows(IllegalArgumentException.class, () -> Check.Enclosure.of(BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ONE));
    }

    @Test
    void measurementsNameTheMachineAndRefuseThePapersTag() {
        MeasurementTable m = MeasurementTable.of("Timing", "theory §7.4", new Machine("Test CPU", 2, "JDK 17"))
                .with("T1", "speed-up at n = 4096", 3.5, "×", "median of 5")
                .withSlope("T2", "exponent of n, exact", Fit.line(new double[] {1, 2, 3, 4}, new double[] {2, 4.1, 5.9, 8}), "log-log");
        String text = m.toString();
        assertTrue(text.contains("Test CPU, 2 logical cores, JDK JDK 17"), text);
        assertTrue(text.contains("not checks"), text);
        assertFalse(m.toHtml().contains("data-holds"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeasurementTable.of("Timing", "Thm 3.2 [P]"));
        assertTrue(e.getMessage().contains("must not carry [P]"), e.getMessage());
        assertFalse(Machine.current().cpu().isBlank());
    }

    @Test
    void fitRecoversASlopeAndItsIntervalCoversIt() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] y = {2.1, 3.9, 6.2, 7.8, 10.1, 12.0};
        Fit f = Fit.line(x, y);
        assertEquals(1.98, f.slope(), 0.02);
        assertTrue(f.contains(2.0), f.toString());
        assertFalse(f.contains(3.0), f.toString());
        Fit exact = Fit.powerLaw(new double[] {10, 100, 1000}, new double[] {100, 10000, 1000000});
        assertEquals(2.0, exact.slope(), 1e-12);
        assertEquals(2.0, exact.low(), 1e-9);
        assertEquals(12.706, Fit.tQuantile975(1), 0);
        assertEquals(2.0211, Fit.tQuantile975(40), 2e-3);
        assertEquals(1.984, Fit.tQuantile975(100), 2e-3);
        assertThrows(IllegalArgumentException.class, () -> Fit.line(new double[] {1, 1, 1}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Fit.line(new double[] {1, 2}, new double[] {1, 2}));
    }
}
