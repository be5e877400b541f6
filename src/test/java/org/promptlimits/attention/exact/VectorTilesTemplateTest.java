package org.promptlimits.attention.exact;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The float32 and float64 Vector API kernels are generated from one template
 * (src/main/templates/VectorTiles.java.template): this test regenerates both and fails when a checked-in
 * kernel differs from its generation, so the two can never drift apart. After editing the template run
 * {@code mvn -q test -Dtest=VectorTilesTemplateTest -Dpromptlimits.regenerate=true} to rewrite them.
 */
class VectorTilesTemplateTest {

    private static final Path TEMPLATE = Path.of("src/main/templates/VectorTiles.java.template");
    private static final Path DIR = Path.of("src/main/java/org/promptlimits/attention/exact");

    static Map<String, String> f32() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("$SUFFIX$", "F32");
        m.put("$type$", "float");
        m.put("$Type$", "Float");
        m.put("$Bits$", "Int");
        m.put("$LOG2E$", "1.44269504088896341f");
        m.put("$LN2_HI$", "0.693145751953125f");
        m.put("$LN2_LO$", "1.428606765330187045e-06f");
        m.put("$MAGIC$", "12582912f");
        m.put("$RAW_MAGIC$", "Float.floatToRawIntBits(MAGIC)");
        m.put("$BIAS$", "127");
        m.put("$MANT$", "23");
        m.put("$DEG$", "7");
        m.put("$EXP_LO$", "-87f");
        m.put("$EXP_HI$", "88f");
        return m;
    }

    static Map<String, String> f64() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("$SUFFIX$", "F64");
        m.put("$type$", "double");
        m.put("$Type$", "Double");
        m.put("$Bits$", "Long");
        m.put("$LOG2E$", "1.4426950408889634");
        m.put("$LN2_HI$", "6.93147180369123816490e-01");
        m.put("$LN2_LO$", "1.90821492927058770002e-10");
        m.put("$MAGIC$", "6755399441055744.0");
        m.put("$RAW_MAGIC$", "Double.doubleToRawLongBits(MAGIC)");
        m.put("$BIAS$", "1023L");
        m.put("$MANT$", "52");
        m.put("$DEG$", "13");
        m.put("$EXP_LO$", "-708.0");
        m.put("$EXP_HI$", "709.0");
        return m;
    }

    static String generate(String template, Map<String, String> values) {
        String s = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }

    @Test
    void checkedInKernelsAreTheTemplatesGeneration() throws IOException {
        String template = Files.readString(TEMPLATE, StandardCharsets.UTF_8);
        boolean regenerate = Boolean.getBoolean("promptlimits.regenerate");
        for (Map<String, String> values : java.util.List.of(f32(), f64())) {
            String generated = generate(template, values);
            assertFalse(generated.contains("$"), "a placeholder of the template has no value");
            Path file = DIR.resolve("VectorTiles" + values.get("$SUFFIX$") + ".java");
            if (regenerate) {
                Files.writeString(file, generated, StandardCharsets.UTF_8);
            }
            assertEquals(generated, Files.readString(file, StandardCharsets.UTF_8),
                    file + " differs from the template's generation: edit the template and regenerate");
        }
    }
}
