package org.promptlimits.check;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.*;

class FormatTest {

    @Test
    void moderateNumbersPrintPlain() {
        assertEquals("0", Format.number(BigDecimal.ZERO));
        assertEquals("378", Format.number(new BigDecimal("378")));
        assertEquals("0.01235", Format.number(new BigDecimal("0.0123456")));
        assertEquals("-123500", Format.number(new BigDecimal("-123456")));
    }

    @Test
    void extremeNumbersPrintWithExponent() {
        assertEquals("1.234e-1133", Format.number(new BigDecimal("1.23401e-1133")));
        assertEquals("1e18", Format.number(new BigDecimal("1e18")));
        assertEquals("1.11e-16", Format.number(1.1102230246251565e-16));
    }

    @Test
    void log10WorksFarBelowDoubleRange() {
        assertEquals(-1133 + Math.log10(2.5), Format.log10(new BigDecimal("2.5e-1133")), 1e-12);
        assertEquals(2, Format.log10(new BigDecimal("100")), 1e-15);
        assertEquals(-1133, Format.exponent10(new BigDecimal("9.99e-1133")));
        assertThrows(IllegalArgumentException.class, () -> Format.log10(BigDecimal.ZERO));
    }
}
