package org.promptlimits.attention.exact;

import org.promptlimits.check.Require;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-core data cache sizes of this machine, read once from Linux's
 * {@code /sys/devices/system/cpu/cpu0/cache/index*} (level, type, size). Elsewhere, or when a size cannot be
 * read, the common x86 values 32 KiB (L1d) and 512 KiB (L2) are assumed and {@link #detected()} is false.
 *
 * @param l1d      level-1 data cache, bytes
 * @param l2       level-2 cache, bytes
 * @param detected whether both sizes were read from the operating system
 */
public record CacheSizes(long l1d, long l2, boolean detected) {

    static final CacheSizes THIS_MACHINE = read(Path.of("/sys/devices/system/cpu/cpu0/cache"));

    /**
     * @throws IllegalArgumentException if a size is not positive
     */
    public CacheSizes {
        Require.that(l1d > 0, "l1d (" + l1d + ") must be a positive number of bytes");
        Require.that(l2 > 0, "l2 (" + l2 + ") must be a positive number of bytes");
    }

    /** The sizes of this machine's caches (read once). */
    public static CacheSizes thisMachine() {
        return THIS_MACHINE;
    }

    static CacheSizes read(Path dir) {
        long l1 = -1;
        long l2 = -1;
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            try {
                if (!Files.isDirectory(index)) {
                    break;
                }
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                String type = Files.readString(index.resolve("type")).trim();
                long size = parseSize(Files.readString(index.resolve("size")).trim());
                if (level == 1 && type.equals("Data")) {
                    l1 = size;
                } else if (level == 2 && !type.equals("Instruction")) {
                    l2 = size;
                }
            } catch (IOException | RuntimeException e) {
                break;
            }
        }
        boolean ok = l1 > 0 && l2 > 0;
        return new CacheSizes(l1 > 0 ? l1 : 32 << 10, l2 > 0 ? l2 : 512 << 10, ok);
    }

    /** "32K", "1024K", "2M" or a plain byte count. */
    static long parseSize(String s) {
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long factor = unit == 'K' ? 1L << 10 : unit == 'M' ? 1L << 20 : unit == 'G' ? 1L << 30 : 1;
        String digits = factor == 1 ? s : s.substring(0, s.length() - 1);
        return Long.parseLong(digits.trim()) * factor;
    }

    @Override
    public String toString() {
        return "L1d " + (l1d >> 10) + " KiB, L2 " + (l2 >> 10) + " KiB" + (detected ? "" : " (assumed)");
    }
}
