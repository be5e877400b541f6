import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/** Old and new library side by side in one JVM (two class loaders), alternating calls; thread CPU time ratios. */
public class ABRows {
    public static void main(String[] args) throws Throwable {
        String oldPath = args[0], newPath = args[1];
        int n = Integer.parseInt(args[2]);
        String prec = args[3];
        int rounds = Integer.parseInt(args[4]);
        int calls = Integer.parseInt(args[5]);
        int threads = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        int d = 64;
        MethodHandle[] h = new MethodHandle[2];
        Object[] inst = new Object[2];
        String[] paths = {oldPath, newPath};
        for (int i = 0; i < 2; i++) {
            String[] pr = paths[i].split("@");
            if (pr.length > 1) System.setProperty("promptlimits.attention.rows", pr[1]); else System.clearProperty("promptlimits.attention.rows");
            URLClassLoader cl = new URLClassLoader(new URL[] {Path.of(pr[0]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> c = cl.loadClass("org.promptlimits.attention.exact.BlockedAttention");
            Class<?> be = cl.loadClass("org.promptlimits.attention.exact.BlockedAttention$Backend");
            Object auto = be.getField("AUTO").get(null);
            inst[i] = c.getMethod("of", be, int.class).invoke(null, auto, threads);
            Class<?> arr = prec.equals("f32") ? float[].class : double[].class;
            h[i] = MethodHandles.publicLookup().findVirtual(c, "attend", MethodType.methodType(void.class, int.class, int.class,
                    int.class, int.class, arr, arr, arr, double.class, arr)).bindTo(inst[i]);
            System.out.println("kernel " + i + " " + c.getMethod("name").invoke(inst[i]) + " rows " + rows(cl.loadClass("org.promptlimits.attention.exact.VectorTilesF32").getDeclaredField("ROWS")));
        }
        Random r = new Random(1);
        double[] q = new double[n * d], k = new double[n * d], v = new double[n * d], o = new double[n * d];
        for (int i = 0; i < n * d; i++) { q[i] = 2 * r.nextDouble() - 1; k[i] = 2 * r.nextDouble() - 1; v[i] = 2 * r.nextDouble() - 1; }
        float[] qf = new float[n * d], kf = new float[n * d], vf = new float[n * d], of = new float[n * d];
        for (int i = 0; i < n * d; i++) { qf[i] = (float) q[i]; kf[i] = (float) k[i]; vf[i] = (float) v[i]; }
        double beta = 1 / Math.sqrt(d);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] t = new double[2][rounds];
        double[] ratio = new double[rounds];
        long warmEnd = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (int i = 0; i < 2; i++) call(h[i], prec, n, d, q, k, v, beta, o, qf, kf, vf, of);
        }
        for (int round = 0; round < rounds; round++) {
            for (int j = 0; j < 2; j++) {
                int i = round % 2 == 0 ? j : 1 - j;
                long c0 = threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime();
                for (int c = 0; c < calls; c++) call(h[i], prec, n, d, q, k, v, beta, o, qf, kf, vf, of);
                t[i][round] = ((threads == 1 ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - c0) / 1e6 / calls;
            }
            ratio[round] = t[1][round] / t[0][round];
        }
        System.out.printf(Locale.ROOT, "n %d %s %dt: old %s ms, new %s ms, new/old %s%n", n, prec, threads, med(t[0]), med(t[1]), med(ratio));
    }

    static void call(MethodHandle h, String prec, int n, int d, double[] q, double[] k, double[] v, double beta, double[] o,
                     float[] qf, float[] kf, float[] vf, float[] of) throws Throwable {
        if (prec.equals("f32")) h.invoke(n, n, d, d, qf, kf, vf, beta, of);
        else h.invoke(n, n, d, d, q, k, v, beta, o);
    }

    static int rows(java.lang.reflect.Field f) throws Exception { f.setAccessible(true); return f.getInt(null); }

    static String med(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", s[s.length / 2], s[0], s[s.length - 1]);
    }
}
