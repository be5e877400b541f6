import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

public class SameBits {
    public static void main(String[] a) throws Throwable {
        int[][] shapes = {{1024, 1024, 64, 64}, {1000, 777, 64, 64}, {333, 517, 8, 8}, {257, 300, 16, 4}, {130, 99, 64, 40}, {64, 2048, 32, 16}, {200, 301, 7, 9}, {150, 77, 13, 64}, {66, 45, 33, 20}, {333, 129, 65, 32}};
        for (int threads : new int[] {1, 2}) for (int[] sh : shapes) for (String p : new String[] {"f32", "f64"}) {
            int n = sh[0], m = sh[1], d = sh[2], dv = sh[3];
            Object[] outs = new Object[2];
            for (int i = 0; i < 2; i++) {
                URLClassLoader cl = new URLClassLoader(new URL[] {Path.of(a[i]).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                Class<?> c = cl.loadClass("org.promptlimits.attention.exact.BlockedAttention");
                Class<?> be = cl.loadClass("org.promptlimits.attention.exact.BlockedAttention$Backend");
                Object inst = c.getMethod("of", be, int.class).invoke(null, be.getField("VECTOR").get(null), threads);
                Class<?> arr = p.equals("f32") ? float[].class : double[].class;
                MethodHandle h = MethodHandles.publicLookup().findVirtual(c, "attend", MethodType.methodType(void.class, int.class, int.class,
                        int.class, int.class, arr, arr, arr, double.class, arr)).bindTo(inst);
                Random r = new Random(7);
                double[] q = new double[n * d], k = new double[m * d], v = new double[m * dv];
                for (int j = 0; j < q.length; j++) q[j] = 3 * (2 * r.nextDouble() - 1);
                for (int j = 0; j < k.length; j++) k[j] = 3 * (2 * r.nextDouble() - 1);
                for (int j = 0; j < v.length; j++) v[j] = 2 * r.nextDouble() - 1;
                if (p.equals("f32")) {
                    float[] qf = new float[q.length], kf = new float[k.length], vf = new float[v.length], o = new float[n * dv];
                    for (int j = 0; j < q.length; j++) qf[j] = (float) q[j];
                    for (int j = 0; j < k.length; j++) kf[j] = (float) k[j];
                    for (int j = 0; j < v.length; j++) vf[j] = (float) v[j];
                    h.invoke(n, m, d, dv, qf, kf, vf, 1 / Math.sqrt(d), o);
                    outs[i] = o;
                } else {
                    double[] o = new double[n * dv];
                    h.invoke(n, m, d, dv, q, k, v, 1 / Math.sqrt(d), o);
                    outs[i] = o;
                }
            }
            boolean same = p.equals("f32") ? Arrays.equals((float[]) outs[0], (float[]) outs[1]) : Arrays.equals((double[]) outs[0], (double[]) outs[1]);
            System.out.println(threads + "t " + p + " " + Arrays.toString(sh) + " " + (same ? "same bits" : "DIFFERENT"));
        }
    }
}
