package org.promptlimits.verify;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.promptlimits.attention.Apti;
import org.promptlimits.attention.SoftPromptAttention;
import org.promptlimits.attention.fast.Certificate;
import org.promptlimits.attention.fast.MonomialFeatures;
import org.promptlimits.attention.fast.PolynomialAttention;
import org.promptlimits.boltzmann.BoltzmannChecks;
import org.promptlimits.check.CheckTable;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.Sequences;
import org.promptlimits.memorization.Dataset;
import org.promptlimits.memorization.FrozenTransformer;
import org.promptlimits.memorization.MemorizationChecks;
import org.promptlimits.memorization.MemorizingConstruction;
import org.promptlimits.memorization.PromptTuner;
import org.promptlimits.phase.EfficiencyChecks;
import org.promptlimits.phase.PhaseTransition;
import org.promptlimits.precision.Budget;
import org.promptlimits.quantize.QuantizationChecks;
import org.promptlimits.quantize.Seq2Seq;
import org.promptlimits.quantize.Targets;
import org.promptlimits.sweep.WallClock;
import org.promptlimits.universality.ContextualStages;
import org.promptlimits.universality.Theorem23;
import org.promptlimits.universality.Theorem24;
import org.promptlimits.universality.UniversalityChecks;

import java.util.List;

/**
 * Every result {@code verify} runs, with the parameters of the notebook that shows it. Each builds the same
 * constructions as its notebook and returns the check tables of the same library functions, so the two cannot
 * disagree about what is checked. {@code quick} lowers sample counts and sweep sizes (never the construction's
 * parameters) so the whole run fits in a CI step.
 */
public final class Results {

    private Results() {
    }

    /** The results in the paper's order: the ids {@code --result} accepts. */
    public static List<Result> all() {
        return List.of(
                new Result("softmax", "Softmax attention (the object every theorem is about)", "00-getting-started.ipynb",
                        quick -> softmax()),
                new Result("boltzmann", "The Boltzmann operator, properties B1–B4", "01-boltzmann-operator.ipynb",
                        Results::boltzmann),
                new Result("2.2", "Lemma 2.2: contextual mapping by one attention layer, THEORY and EMPIRICAL constants",
                        "02-contextual-mapping.ipynb", quick -> lemma22()),
                new Result("quantizer", "Quantized sequence-to-sequence functions and the staircase quantizer",
                        "03-quantized-seq2seq.ipynb", Results::quantizer),
                new Result("2.4", "Theorem 2.4: one transformer with two FFN layers, one prompt per target",
                        "04-universality-two-ffn.ipynb", Results::theorem24),
                new Result("2.3", "Theorem 2.3: deep, narrow FFN layers (width 4)", "05-universality-deep-ffn.ipynb",
                        Results::theorem23),
                new Result("2.5", "Theorem 2.5: memorization capacity and the prompt-length lower bound",
                        "06-memorization-capacity.ipynb", Results::theorem25),
                new Result("3.1/3.2", "Theorems 3.1 and 3.2: the phase transition of prompt-tuning inference",
                        "07-efficiency-phase-transition.ipynb, 08-almost-linear-inference.ipynb", Results::efficiency));
    }

    /** Notebook 00: d = 3, L = 5 tokens uniform in [0, 1) with ND4J seed 42, β ∈ {0, 1, 4, 16}. */
    static List<CheckTable> softmax() {
        Nd4j.getRandom().setSeed(42);
        double[][] x = Nd4j.rand(DataType.DOUBLE, 3, 5).toDoubleMatrix();
        return List.of(BoltzmannChecks.softmaxAttention(x, new double[] {0, 1, 4, 16}));
    }

    /** Notebook 01: B1–B3 on its scores, B3 for Δ = 1 … 25 (… 8 quick), B4 on 40 ladder vectors (seed 11, r = 17). */
    static List<CheckTable> boltzmann(boolean quick) {
        double[] a = {0.3, 2.0, -1.5, 1.2};
        double[] b3Scores = {5.0, 2.0, 1.0, -3.0};
        double[] ladder = {-16.5, -11, -5.5, 0, 5.5, 11, 16.5};
        return List.of(BoltzmannChecks.b1ToB3(a, b3Scores), BoltzmannChecks.b3Sweep(quick ? 8 : 25),
                BoltzmannChecks.b4Table(BoltzmannChecks.ladderVectors(ladder, 40, 11), 17));
    }

    /** Notebook 02: the three-token vocabulary in d = 2, all arrangements of n = 2; both constants, ranks 1 and 2. */
    static List<CheckTable> lemma22() {
        double[][] vocabulary = {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}};
        Sequences sequences = Sequences.allArrangements(vocabulary, 2, 100);
        ContextualMapping theory = ContextualMapping.construct(sequences, ContextualMapping.Constants.THEORY);
        ContextualMapping empirical = ContextualMapping.construct(sequences, ContextualMapping.Constants.EMPIRICAL);
        return List.of(theory.checks(), empirical.checks(), empirical.anyRankChecks(1, 2));
    }

    /** Notebook 03: the sup-error sweep of the cumulative max (δ = 1/2 … 1/64) and the catalogue in d = L = 2. */
    static List<CheckTable> quantizer(boolean quick) {
        Seq2Seq f = Targets.cumulativeMax(1, 2, 2.0);
        int[] ks = quick ? new int[] {2, 8, 64} : new int[] {2, 4, 8, 16, 32, 64};
        return List.of(QuantizationChecks.supErrorSweep(f, ks, 1.0 / 4096, quick ? 500 : 2000),
                QuantizationChecks.catalogue(2, 2, 2.0));
    }

    /** The four targets of notebooks 04 and 05: d = 1, L = 2, p = 2. */
    static List<Seq2Seq> universalityTargets() {
        return List.of(Targets.tokenwiseAffine(1, 2, 2.0, -1, 1), Targets.shift(1, 2, 2.0),
                Targets.tokenwiseAffine(1, 2, 2.0, 0.5, 0.25), Targets.tokenwiseAffine(1, 2, 2.0, 1, 0));
    }

    /** Notebook 04: four targets, ε = 0.75, EMPIRICAL context stage (seed 1); checks on 300 points (60 quick), seed 11. */
    static List<CheckTable> theorem24(boolean quick) {
        Theorem24 thm = Theorem24.forTargets(universalityTargets(), 0.75, ContextualStages.empirical(1L),
                Theorem24.Options.defaults());
        return List.of(thm.checks(quick ? 60 : 300, 11L));
    }

    /** Notebook 05: the deep form of the two-target construction; 200 points (40 quick), seed 21; W=D on 100 inputs. */
    static List<CheckTable> theorem23(boolean quick) {
        Theorem24 two = Theorem24.forTargets(universalityTargets().subList(0, 2), 0.75, ContextualStages.empirical(1L),
                Theorem24.Options.defaults());
        Theorem23 deep = Theorem23.from(two);
        return List.of(deep.checks(quick ? 40 : 200, 21L), UniversalityChecks.wideDeepAgreement(two, deep, quick ? 20 : 100, 5L));
    }

    /**
     * Notebook 06: the memorizing construction for 5 labelings and for a 4-sequence dataset, then Adam-tuned prompts
     * (d = 4, L = 1, N = 2, ε = 1/4, 3,000 steps). The notebook's sweep of the smallest learned Lp feeds a plot and
     * the notebook's own observations, no check of the library's tables.
     */
    static List<CheckTable> theorem25(boolean quick) {
        MemorizingConstruction family = MemorizingConstruction.forLabelings(1, 2, 0.25, 0.25, 5, 3L,
                Theorem24.Options.defaults());
        MemorizingConstruction one = MemorizingConstruction.forDataset(Dataset.random(4, 1, 2, 7L), 1L,
                Theorem24.Options.defaults());
        FrozenTransformer model = FrozenTransformer.random(4, 4, 0, 1, 16, 5L);
        Dataset pair = Dataset.random(2, 4, 1, 4103L);
        PromptTuner.Options adam = PromptTuner.Options.adam(0.05, 3000, 0.25, 5L);
        PromptTuner.Result learned = PromptTuner.tune(model, pair, 2, adam);
        return List.of(family.checks(), one.checks(), MemorizationChecks.learnedPrompts(model, pair, adam, learned));
    }

    /**
     * Notebooks 07 and 08: the phase-transition sweep (d = 4, β = 1/4, δF = 0.01, n ∈ {256, 1024, 4096}; quick: n ∈
     * {256, 1024} and three bounds), then the polynomial method's certificate (n = 2048, δF = 10^-3), the feature
     * identity and the two soft prompts. Timings are measurements of the machine, not checks: verify runs none.
     */
    static List<CheckTable> efficiency(boolean quick) {
        int d = 4;
        double beta = 1.0 / d;
        int[] ns = quick ? new int[] {256, 1024} : new int[] {256, 1024, 4096};
        double[] bounds = quick ? new double[] {0.25, 1.0, 3.0} : new double[] {0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0};
        List<PhaseTransition.Point> points = PhaseTransition.sweep(d, ns, bounds, 1e-2, beta, WallClock.median(1), 11,
                Budget.DEFAULT.withMaxCells(20_000));
        CheckTable phase = EfficiencyChecks.phaseTransition(points, 1e-2);

        double bound = 1.0;
        double deltaF = 1e-3;
        Apti apti = Apti.random(2048, d, bound, deltaF, beta, 5);
        PolynomialAttention pa = PolynomialAttention.forProblem(apti);
        Certificate cert = pa.attendCertified(apti, 256, 1).certificate();
        SoftPromptAttention layer = SoftPromptAttention.random(d, 3);
        double[] x = SoftPromptAttention.uniformRows(64, d, 0.5, 1);
        Apti smallPrompt = layer.induced(SoftPromptAttention.uniformRows(64, d, 0.5, 2), x, deltaF, beta);
        double smallError = EfficiencyChecks.readOutError(PolynomialAttention.forProblem(smallPrompt), smallPrompt, 64);
        Apti largePrompt = layer.induced(SoftPromptAttention.uniformRows(64, d, 8.0, 2), x, deltaF, beta);
        boolean refused = PolynomialAttention.choose(largePrompt).refused();
        CheckTable inference = EfficiencyChecks.almostLinear(cert, MonomialFeatures.of(3, 2, 1.0 / 3, Budget.DEFAULT),
                new double[] {0.3, -0.7, 0.9}, new double[] {-0.2, 0.5, 0.8}, smallError, refused);
        return List.of(phase, inference);
    }
}
