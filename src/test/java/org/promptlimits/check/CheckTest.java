package org.promptlimits.check;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

class CheckTest {

    private static Check of(double measured, Relation r, double bound) {
        return Check.of("X", "claim", "spec", measured, r, bound, "method");
    }

    @Test
    void holdsIsDerivedFromTheRelation() {
        assertTrue(of(1, Relation.AT_MOST, 1).holds());
        assertFalse(of(1, Relation.LESS_THAN, 1).holds());
        assertTrue(of(2, Relation.GREATER_THAN, 1).holds());
        assertFalse(of(0.5, Relation.AT_LEAST, 1).holds());
        assertTrue(Check.of("E", "c", "s", new BigDecimal("1.0"), Relation.EQUALS, new BigDecimal("1.00"), "m").holds());
        assertFalse(Check.isTrue("T", "c", "s", false, "m").holds());
    }

    @Test
    void valuesBelowDoubleRangeCompareExactly() {
        BigDecimal measured = new BigDecimal("1e-455");
        BigDecimal bound = new BigDecimal("1e-1133");
        assertTrue(Check.of("S", "separation > δ", "theory §3", measured, Relation.GREATER_THAN, bound, "exact").holds());
        assertFalse(Check.of("S", "separation < δ", "theory §3", measured, Relation.LESS_THAN, bound, "exact").holds());
    }

    @Test
    void nanMeasurementIsRefusedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> of(Double.NaN, Relation.AT_MOST, 1));
        assertEquals("measured (NaN) must be finite", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> of(1, Relation.AT_MOST, Double.POSITIVE_INFINITY));
        assertEquals("bound (Infinity) must be finite", e.getMessage());
    }

    @Test
    void blankIdIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Check.of(" ", "c", "s", 1, Relation.AT_MOST, 1, "m"));
    }

    @Test
    void toStringShowsVerdictNumbersAndSource() {
        String s = Check.of("B3", "gap", "theory §2", 0.5, Relation.AT_MOST, 0.25, "double").toString();
        assertEquals("B3 ✗ 0.5 ≤ 0.25 — gap (theory §2; double)", s);
    }
}
