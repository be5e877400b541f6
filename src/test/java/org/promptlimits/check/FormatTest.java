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

    @Test
    void significantDigitsPerQuantity() {
        assertEquals("0.5884", Format.number(0.5883883476488186));
        assertEquals("0.59", Format.number(0.5883883476488186, 2));
        assertEquals("0.0001833", Format.number(1.8326031991395452E-4));
        assertEquals("1.83e-5", Format.number(1.8326031991395452E-5, 3));
        assertEquals("0.25", Format.number(0.25, 3));
        assertThrows(IllegalArgumentException.class, () -> Format.number(1.0, 0));
    }

    @Test
    void timesRatiosAndPowersCarryTheirUnit() {
        assertEquals("12.3 ms", Format.seconds(0.012345));
        assertEquals("850 µs", Format.seconds(8.5e-4));
        assertEquals("1.2 s", Format.seconds(1.2));
        assertEquals("919×", Format.ratio(918.9));
        assertEquals("10^2.149", Format.power10(2.14921));
        assertEquals("12 ms (11 ms–20 ms, 3 runs)", Format.timing(new double[] {0.020, 0.011, 0.012}));
        assertEquals(11.5, Format.median(new double[] {12, 11, 10, 20}));
        assertThrows(IllegalArgumentException.class, () -> Format.seconds(-1));
    }

    /**
     * Grid(2^31 − 1, 2^31 − 1, 1/(2^31 − 1)).toString() printed 10^41505174127191785472 points: the double's binary
     * value written out, 20 digits where the double carries 17. Huge exponents print the digits that read back as the
     * same double; exponents below 2^43, whose spacing is below 0.001, print as before, rounded to 3 decimals.
     */
    @Test
    void aPowerOfTenShowsOnlyTheDigitsItsExponentCarries() {
        double huge = 4.1505174127191785e19;
        assertEquals("10^(4.1505174127191785e19)", Format.power10(huge));
        assertEquals("10^(-4.1505174127191785e19)", Format.power10(-huge));
        assertEquals("10^3000000", Format.power10(3e6));
        assertEquals("10^(4.15e19)", Format.power10(4.15e19));
        assertEquals("10^(1.0000000000000001e15)", Format.power10(Math.nextUp(1e15)));
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 2_000; i++) {
            double x = Math.scalb(random.nextDouble() - 0.5, random.nextInt(80));
            String s = Format.power10(x);
            if (Math.abs(x) < 0x1p43) { // spacing below 0.001: the exponent rounded to 3 decimals, as it always was
                assertEquals("10^" + new BigDecimal(x).setScale(3, java.math.RoundingMode.HALF_EVEN)
                        .stripTrailingZeros().toPlainString(), s, "x = " + x);
            } else { // never more digits than read back as x, and those digits are x's
                assertTrue(s.startsWith("10^(") && s.endsWith(")"), s);
                String exponent = s.substring(4, s.length() - 1);
                assertEquals(x, Double.parseDouble(exponent), s);
                assertTrue(new BigDecimal(exponent).stripTrailingZeros().precision()
                        <= new BigDecimal(Double.toString(x)).stripTrailingZeros().precision(), s + " for x = " + x);
            }
        }
    }

    @Test
    void aMeasuredValueAndItsBoundNeverPrintEqualWhenTheyDiffer() {
        BigDecimal threshold = new BigDecimal("4.386294361119891");
        BigDecimal gap = threshold.multiply(new BigDecimal("1.000000001"));
        String[] shown = Format.pair(gap, threshold);
        assertNotEquals(shown[0], shown[1]);
        assertEquals("4.38629437", shown[0]);
        assertArrayEquals(new String[] {"0.25", "0.25"}, Format.pair(new BigDecimal("0.25"), new BigDecimal("0.250")));
        assertArrayEquals(new String[] {"1.5", "2"}, Format.pair(new BigDecimal("1.5"), new BigDecimal("2")));
    }

    @Test
    void numberBesideTakesTheDigitsThatTellAValueFromItsBound() {
        BigDecimal bound = new BigDecimal("1e9");
        assertEquals("1e9", Format.number(new BigDecimal("1.0000001e9")));
        assertEquals("1.0000001e9", Format.numberBeside(new BigDecimal("1.0000001e9"), bound));
        assertEquals("9.9999999e8", Format.numberBeside(new BigDecimal("999999990"), bound));
        assertEquals("0.9999", Format.numberBeside(new BigDecimal("0.9999"), BigDecimal.ONE));
        assertEquals("1e9", Format.numberBeside(bound, new BigDecimal("1000000000.000")));
        assertEquals("1.25", Format.numberBeside(new BigDecimal("1.25"), new BigDecimal("7")));
        assertEquals("1e9 (to 17 digits)", Format.numberBeside(bound.add(new BigDecimal("1e-100")), bound));
        // a pair printed beside each other: the same digits for both
        assertEquals("1.000001", Format.numberBeside(new BigDecimal("1.000001"), new BigDecimal("1.0000009")));
        assertEquals("1.0000009", Format.numberBeside(new BigDecimal("1.0000009"), new BigDecimal("1.000001")));
    }

    /** The mean of the middle two of huge values overflowed: the median of {MAX, MAX} was +∞. */
    @Test
    void medianOfHugeValuesIsFinite() {
        assertEquals(Double.MAX_VALUE, Format.median(new double[] {Double.MAX_VALUE, Double.MAX_VALUE}));
        assertEquals(0.75 * Double.MAX_VALUE, Format.median(new double[] {Double.MAX_VALUE, 0.5 * Double.MAX_VALUE}));
        assertEquals(Double.MIN_VALUE, Format.median(new double[] {Double.MIN_VALUE, Double.MIN_VALUE}));
        assertEquals(2.5, Format.median(new double[] {4, 1, 2, 3}));
    }
}
