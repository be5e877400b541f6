package org.promptlimits.check;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CheckTableTest {

    private final Check good = Check.of("A1", "1 ≤ 2", "s", 1, Relation.AT_MOST, 2, "m");
    private final Check bad = Check.of("A2", "3 ≤ 2", "s", 3, Relation.AT_MOST, 2, "m");

    @Test
    void assertAllHoldReturnsTheTableWhenEveryCheckHolds() {
        CheckTable t = CheckTable.of("ok", good);
        assertSame(t, t.assertAllHold());
        assertTrue(t.allHold());
        assertEquals("1 of 1 checks hold", t.summary());
    }

    @Test
    void assertAllHoldNamesEveryFailedCheck() {
        CheckTable t = CheckTable.of("mixed", good, bad);
        IllegalStateException e = assertThrows(IllegalStateException.class, t::assertAllHold);
        assertTrue(e.getMessage().startsWith("1 of 2 rows failed in 'mixed'"), e.getMessage());
        assertTrue(e.getMessage().contains("A2 ✗ 3 ≤ 2"), e.getMessage());
        assertFalse(e.getMessage().contains("A1"), e.getMessage());
        assertEquals(List.of(bad), t.failures());
    }

    @Test
    void emptyTableProvesNothing() {
        CheckTable t = CheckTable.of("empty");
        assertFalse(t.allHold());
        assertThrows(IllegalStateException.class, t::assertAllHold);
    }

    @Test
    void htmlCarriesVerdictsAndEscapesText() {
        String html = CheckTable.of("a < b & c", good, bad).toHtml();
        assertTrue(html.contains("data-all-hold=\"false\""));
        assertTrue(html.contains("<tr data-holds=\"true\""));
        assertTrue(html.contains("<tr data-holds=\"false\""));
        assertTrue(html.contains("a &lt; b &amp; c"));
    }

    @Test
    void textIsAlignedInColumns() {
        String[] lines = CheckTable.of("t", good, bad).toString().split("\n");
        assertEquals("t", lines[0]);
        int column = lines[1].indexOf("measured");
        assertEquals("1", lines[2].substring(column, column + 1));
        assertEquals("3", lines[3].substring(column, column + 1));
        assertEquals("1 of 2 checks FAILED: A2", lines[4]);
    }

    @Test
    void plusKeepsOrderAndFirstTitle() {
        CheckTable t = CheckTable.of("first", good).plus(CheckTable.of("second", bad));
        assertEquals("first", t.title());
        assertEquals(List.of(good, bad), t.checks());
    }

    @Test
    void unequalMeasuredAndBoundNeverPrintEqual() {
        BigDecimal threshold = new BigDecimal("4.386294361119891");
        Check tight = Check.of("gap", "gap > 2 ln n + 3", "test",
                threshold.multiply(new BigDecimal("1.000000001")), Relation.GREATER_THAN, threshold, "margin 1e-9");
        CheckTable table = CheckTable.of("tight", tight);
        assertTrue(table.toString().contains("4.38629437") && table.toString().contains("4.38629436"),
                table.toString());
        assertTrue(table.toHtml().contains("4.38629437"), table.toHtml());
        assertTrue(tight.toString().contains("4.38629437 > 4.38629436"), tight.toString());
    }
}
