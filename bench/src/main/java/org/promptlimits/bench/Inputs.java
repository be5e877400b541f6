package org.promptlimits.bench;

import java.util.Random;

/** Seeded benchmark inputs: entries uniform in [−1, 1]. */
final class Inputs {

    private Inputs() {
    }

    static double[] uniform(int length, long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = 2 * rnd.nextDouble() - 1;
        }
        return a;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
