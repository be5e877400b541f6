package org.promptlimits.memorization;

import org.promptlimits.check.Require;
import org.promptlimits.core.FeedForward;
import org.promptlimits.core.Matrices;
import org.promptlimits.core.Softmax;

import java.util.Arrays;
import java.util.List;

/**
 * The memorization loss of a soft prompt and its gradient in P, by hand-derived back-propagation:
 * {@code ℓ(P) = (1/(N·d·L)) Σ_i ‖τ_P(X^(i)) − E_X − Y^(i)‖_F²}, with the max-norm error
 * {@code max_i ‖τ_P(X^(i)) − E_X − Y^(i)‖_max} computed on the same pass. theory §6 (empirical side) [C].
 *
 * <p>Only the X columns are queries whose outputs are read, and P enters attention only as keys and values,
 * so everything computed from X alone (FF_before on the X columns, their queries, keys and values) is
 * computed once here, and each evaluation runs the prompt columns through FF_before once for all samples.
 * The back-propagation, for one read column l with attention weights A_j:
 * <pre>
 *   dz2 = FF_after back-propagated from 2(out − E − y)/(N d L)
 *   du = W_O^T dz2;  dA_j = v_j · du;  dS_j = A_j (dA_j − Σ_k A_k dA_k)
 *   dv_j += A_j du;  dk_j += dS_j q_l          (prompt columns j only)
 *   dP[:, j] = FF_before back-propagated from W_K^T dk_j + W_V^T dv_j
 * </pre>
 * Tests compare the gradient with central finite differences of {@link FrozenTransformer#output}.
 */
final class MemorizationLoss {

    private final FrozenTransformer model;
    private final Dataset data;
    private final int lp;
    private final int d;
    private final int s;
    private final int len;
    private final int n;
    private final double[][][] zx;  // [sample][token][d] after FF_before
    private final double[][][] qx;  // [sample][token][s]
    private final double[][][] kx;
    private final double[][][] vx;
    // scratch
    private final double[][][] promptInputs;  // [layer][token][d], input of each FF_before layer, and final at [layers]
    private final double[][][] promptPre;     // [layer][token][w]
    private final double[][] kp;
    private final double[][] vp;
    private final double[][] dkp;
    private final double[][] dvp;
    private final double[] weights;
    private final double[] dWeights;
    private final double[] u;
    private final double[][] afterInputs;
    private final double[][] afterPre;
    private final double[] grad;
    private final double[] gradNext;

    MemorizationLoss(FrozenTransformer model, Dataset data, int promptLength) {
        Require.notNull("model", model);
        Require.notNull("data", data);
        Require.that(data.d() == model.d(), "data has d = " + data.d() + " but the model has d = " + model.d());
        this.model = model;
        this.data = data;
        this.lp = Require.nonNegative("promptLength", promptLength);
        this.d = model.d();
        this.s = model.headSize();
        this.len = data.length();
        this.n = lp + len;
        int count = data.size();
        List<FeedForward> before = model.layersBefore();
        zx = new double[count][][];
        qx = new double[count][][];
        kx = new double[count][][];
        vx = new double[count][][];
        for (int i = 0; i < count; i++) {
            double[][] x = data.inputView(i);
            double[][] z = new double[len][d];
            for (int k = 0; k < len; k++) {
                for (int j = 0; j < d; j++) {
                    z[k][j] = x[j][k] + (lp + k + 1);
                }
            }
            for (FeedForward f : before) {
                double[] pre = new double[f.width()];
                double[][] next = new double[len][d];
                for (int k = 0; k < len; k++) {
                    f.applyToken(z[k], pre, next[k]);
                }
                z = next;
            }
            zx[i] = z;
            qx[i] = project(model.wq(), z);
            kx[i] = project(model.wk(), z);
            vx[i] = project(model.wv(), z);
        }
        promptInputs = new double[before.size() + 1][lp][d];
        promptPre = new double[before.size()][][];
        for (int b = 0; b < before.size(); b++) {
            promptPre[b] = new double[lp][before.get(b).width()];
        }
        kp = new double[lp][s];
        vp = new double[lp][s];
        dkp = new double[lp][s];
        dvp = new double[lp][s];
        weights = new double[n];
        dWeights = new double[n];
        u = new double[s];
        List<FeedForward> after = model.layersAfter();
        afterInputs = new double[after.size() + 1][d];
        afterPre = new double[after.size()][];
        for (int b = 0; b < after.size(); b++) {
            afterPre[b] = new double[after.get(b).width()];
        }
        grad = new double[d];
        gradNext = new double[d];
    }

    int promptLength() {
        return lp;
    }

    /**
     * Evaluates ℓ(P); when {@code gradient} is non-null writes ∂ℓ/∂P into it (d×Lp, overwritten).
     *
     * @return {loss, max-norm error}
     */
    double[] evaluate(double[][] prompt, double[][] gradient) {
        List<FeedForward> before = model.layersBefore();
        List<FeedForward> after = model.layersAfter();
        double[][] wo = model.wo();
        for (int k = 0; k < lp; k++) {
            for (int j = 0; j < d; j++) {
                promptInputs[0][k][j] = prompt[j][k] + (k + 1);
            }
        }
        for (int b = 0; b < before.size(); b++) {
            for (int k = 0; k < lp; k++) {
                before.get(b).applyToken(promptInputs[b][k], promptPre[b][k], promptInputs[b + 1][k]);
            }
        }
        double[][] zp = promptInputs[before.size()];
        for (int k = 0; k < lp; k++) {
            Matrices.multiply(model.wk(), zp[k], kp[k]);
            Matrices.multiply(model.wv(), zp[k], vp[k]);
            Arrays.fill(dkp[k], 0);
            Arrays.fill(dvp[k], 0);
        }
        int count = data.size();
        double scale = 2.0 / ((double) count * d * len);
        double loss = 0;
        double maxError = 0;
        for (int i = 0; i < count; i++) {
            double[][] y = data.labelView(i);
            for (int l = 0; l < len; l++) {
                double[] q = qx[i][l];
                // scores over keys (prompt keys, then X keys), then the softmax in place
                for (int j = 0; j < n; j++) {
                    double[] key = j < lp ? kp[j] : kx[i][j - lp];
                    double sc = 0;
                    for (int a = 0; a < s; a++) {
                        sc += key[a] * q[a];
                    }
                    weights[j] = sc;
                }
                Softmax.softmax(weights, n, weights);
                Arrays.fill(u, 0);
                for (int j = 0; j < n; j++) {
                    double[] v = j < lp ? vp[j] : vx[i][j - lp];
                    for (int a = 0; a < s; a++) {
                        u[a] += weights[j] * v[a];
                    }
                }
                double[] z2 = afterInputs[0];
                for (int r = 0; r < d; r++) {
                    double acc = zx[i][l][r];
                    for (int a = 0; a < s; a++) {
                        acc += wo[r][a] * u[a];
                    }
                    z2[r] = acc;
                }
                for (int b = 0; b < after.size(); b++) {
                    after.get(b).applyToken(afterInputs[b], afterPre[b], afterInputs[b + 1]);
                }
                double[] out = afterInputs[after.size()];
                double position = lp + l + 1;
                for (int r = 0; r < d; r++) {
                    double err = out[r] - position - y[r][l];
                    loss += err * err;
                    maxError = Math.max(maxError, Math.abs(err));
                    grad[r] = scale * err;
                }
                if (gradient == null || lp == 0) {
                    continue;
                }
                for (int b = after.size() - 1; b >= 0; b--) {
                    after.get(b).backwardToken(afterPre[b], grad, gradNext);
                    System.arraycopy(gradNext, 0, grad, 0, d);
                }
                // du = W_O^T dz2
                for (int a = 0; a < s; a++) {
                    double acc = 0;
                    for (int r = 0; r < d; r++) {
                        acc += wo[r][a] * grad[r];
                    }
                    u[a] = acc;
                }
                double mean = 0;
                for (int j = 0; j < n; j++) {
                    double[] v = j < lp ? vp[j] : vx[i][j - lp];
                    double da = 0;
                    for (int a = 0; a < s; a++) {
                        da += v[a] * u[a];
                    }
                    dWeights[j] = da;
                    mean += weights[j] * da;
                }
                for (int j = 0; j < lp; j++) {
                    double wj = weights[j];
                    double ds = wj * (dWeights[j] - mean);
                    double[] dv = dvp[j];
                    double[] dk = dkp[j];
                    for (int a = 0; a < s; a++) {
                        dv[a] += wj * u[a];
                        dk[a] += ds * q[a];
                    }
                }
            }
        }
        if (gradient != null) {
            double[][] wk = model.wk();
            double[][] wv = model.wv();
            for (int k = 0; k < lp; k++) {
                for (int r = 0; r < d; r++) {
                    double acc = 0;
                    for (int a = 0; a < s; a++) {
                        acc += wk[a][r] * dkp[k][a] + wv[a][r] * dvp[k][a];
                    }
                    grad[r] = acc;
                }
                for (int b = before.size() - 1; b >= 0; b--) {
                    before.get(b).backwardToken(promptPre[b][k], grad, gradNext);
                    System.arraycopy(gradNext, 0, grad, 0, d);
                }
                for (int r = 0; r < d; r++) {
                    gradient[r][k] = grad[r];
                }
            }
        }
        return new double[] {loss / ((double) count * d * len), maxError};
    }

    /** W t_k for every token t_k (token-major result, n×rows(W)). */
    private static double[][] project(double[][] w, double[][] tokens) {
        double[][] r = new double[tokens.length][w.length];
        for (int k = 0; k < tokens.length; k++) {
            Matrices.multiply(w, tokens[k], r[k]);
        }
        return r;
    }
}
