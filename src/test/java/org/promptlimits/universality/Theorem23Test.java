package org.promptlimits.universality;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.CheckTable;

import static org.junit.jupiter.api.Assertions.*;

/** Theorem 2.3's deep, width-4 form on the smallest case of Theorem 2.4 (d = 1, L = 2, δ = 1/4, two targets). */
class Theorem23Test {

    @Test
    void deepConstantWidthFormReproducesEveryQuantizedTarget() {
        Theorem24 wide = Theorem24Test.twoTargetExample();
        Theorem23 deep = Theorem23.from(wide);
        System.out.println(deep);
        assertEquals(12, deep.snapLayers());
        assertEquals(64, deep.bumpLayers());
        assertEquals(4, deep.transformer().maxWidth("FF"));
        CheckTable table = deep.checks(40, 5L);
        System.out.println(table);
        assertTrue(table.allHold(), table.toString());
    }
}
