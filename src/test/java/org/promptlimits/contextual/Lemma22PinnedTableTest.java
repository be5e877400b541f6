package org.promptlimits.contextual;

import org.junit.jupiter.api.Test;
import org.promptlimits.check.Check;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Notebook 02's Lemma 2.2 THEORY case ({@link ContextualMappingTest#REFERENCE}, 1,168 digits) gives the same check table,
 * every field of every row in full, and the same exact outputs (all 1,168 digits of each, by their SHA-256) as
 * recorded in {@code reference/lemma22_check_table.txt}. That file was printed by {@link #pinned} from the library at
 * commit 6d63610, on JDK 17 and on JDK 25 (the same text). Speed changes to the exact arithmetic must leave it as it is;
 * the values themselves are checked against mpmath in {@link ContextualMappingTest}.
 */
class Lemma22PinnedTableTest {

    /** Each row's fields as "name = value" lines (enclosure ends one per line), then the outputs' digest. */
    static String pinned(ContextualMapping m) throws NoSuchAlgorithmException {
        StringBuilder sb = new StringBuilder();
        for (Check c : m.checks().checks()) {
            sb.append("id = ").append(c.id()).append('\n')
                    .append("claim = ").append(c.claim()).append('\n')
                    .append("spec = ").append(c.spec()).append('\n')
                    .append("measured = ").append(c.measured()).append('\n')
                    .append("relation = ").append(c.relation()).append('\n')
                    .append("bound = ").append(c.bound()).append('\n')
                    .append("method = ").append(c.method()).append('\n')
                    .append("kind = ").append(c.kind()).append('\n');
            if (c.enclosure() == null) {
                sb.append("enclosure = null\n");
            } else {
                sb.append("enclosure.measuredLow = ").append(c.enclosure().measuredLow()).append('\n')
                        .append("enclosure.measuredHigh = ").append(c.enclosure().measuredHigh()).append('\n')
                        .append("enclosure.boundLow = ").append(c.enclosure().boundLow()).append('\n')
                        .append("enclosure.boundHigh = ").append(c.enclosure().boundHigh()).append('\n');
            }
            sb.append("--\n");
        }
        BigDecimal[][][] outputs = m.outputsExact();
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(Arrays.deepToString(outputs).getBytes(StandardCharsets.UTF_8));
        return sb.append("outputs sha256 = ").append(HexFormat.of().formatHex(digest)).append('\n').toString();
    }

    @Test
    void checkTableAndExactOutputsAreThePinnedOnes() throws IOException, NoSuchAlgorithmException {
        String want;
        try (InputStream in = Objects.requireNonNull(
                Lemma22PinnedTableTest.class.getResourceAsStream("/reference/lemma22_check_table.txt"))) {
            want = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(want, pinned(ContextualMappingTest.reference()));
    }
}
