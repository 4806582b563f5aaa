package org.convrelu.nn.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.convrelu.nn.Mode;
import org.convrelu.nn.ParamRole;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Parameter counts (Table 6 and the canonical models) and output shapes. */
class ModelsTest {
    private static final RandomStream RNG = RandomStream.root(1);

    private static Models.Options options(ActivationSpec a, Replacement r) {
        return new Models.Options(a, r, Precision.FLOAT32, RNG.child("init"));
    }

    @Test
    void densenetCifarMatchesTable6Exactly() {
        assertThat(Models.densenetCifar(100, 32, options(ActivationSpec.relu(), Replacement.partial())).parameterCount())
                .isEqualTo(1_035_268);
        assertThat(Models.densenetCifar(100, 32, options(ActivationSpec.leakyRelu(), Replacement.all())).parameterCount())
                .isEqualTo(1_035_268);
        assertThat(Models.densenetCifar(100, 32, options(ActivationSpec.prelu(), Replacement.partial())).parameterCount())
                .isEqualTo(1_035_280);
        assertThat(Models.densenetCifar(100, 32, options(ActivationSpec.prelu(), Replacement.all())).parameterCount())
                .isEqualTo(1_035_387);
        Model convRelu = Models.densenetCifar(100, 32, options(ActivationSpec.convRelu(), Replacement.partial()));
        assertThat(convRelu.parameterCount()).isEqualTo(1_038_184);
        assertThat(convRelu.parameterCount(ParamRole.THRESHOLD)).isEqualTo(324 + 2_592);
        assertThat(convRelu.replacedSites()).hasSize(12).allMatch(s -> s.startsWith("block1."));
    }

    @Test
    void freluAddsADepthwiseConvAndABatchNormPerSite() {
        // Block 1 sites: relu1 with C = 24, 36, …, 84 inputs (Σ 324) and relu2 with 48 each; FReLU adds 9C + 2C per site.
        Model frelu = Models.densenetCifar(100, 32, options(ActivationSpec.frelu(), Replacement.partial()));
        assertThat(frelu.parameterCount()).isEqualTo(1_035_268 + 11 * (324 + 6 * 48));
        INDArray x = RNG.child("x").normal(Precision.FLOAT32, 0, 1, 2, 70, 128);
        Model text = Models.charCnn("c", 8, 16, org.convrelu.nn.init.Init.he(), 70, 128, 3, options(ActivationSpec.frelu(), Replacement.partial()), RNG);
        assertThat(text.net().forward(x, Mode.TRAIN).shape()).containsExactly(2, 3);
        assertThat(text.replacedSites()).containsExactly("conv1.relu", "conv2.relu");
    }

    @Test
    void densenet40OfHuangEtAlHasItsPublishedCount() {
        assertThat(Models.densenet40(10, 32, options(ActivationSpec.relu(), Replacement.partial())).parameterCount())
                .isEqualTo(1_019_722);
    }

    @Test
    void replacementPoliciesPickTheirBlocks() {
        Model r2 = Models.densenetCifar(10, 32, options(ActivationSpec.convRelu(), Replacement.lastBlock()));
        assertThat(r2.replacedSites()).hasSize(32).allMatch(s -> s.startsWith("block4."));
        Model r3 = Models.densenetCifar(10, 32, options(ActivationSpec.convRelu(), Replacement.all()));
        assertThat(r3.replacedSites()).hasSize(116 + 3).doesNotContain("head.relu");
        Model named = Models.densenetCifar(10, 32, options(ActivationSpec.prelu(), Replacement.named(java.util.Set.of("block2.layer1.relu2"))));
        assertThat(named.replacedSites()).containsExactly("block2.layer1.relu2");
        Model relu = Models.densenetCifar(10, 32, options(ActivationSpec.relu(), Replacement.all()));
        assertThat(relu.replacedSites()).isEmpty();
        assertThat(relu.sites()).hasSize(116 + 3 + 1);
    }

    @Test
    void imageModelsGiveLogitsFor32And64PixelInputs() {
        for (int size : new int[] {32, 64}) {
            for (Model m : new Model[] {
                    Models.denseNetBC("narrow", new int[] {1, 1, 1, 1}, 4, 0.5, 200, size, options(ActivationSpec.convRelu(), Replacement.partial())),
                    Models.vgg16(10, size, options(ActivationSpec.convRelu(), Replacement.partial())),
                    Models.resnet18(10, size, options(ActivationSpec.convRelu(), Replacement.partial()))}) {
                INDArray x = RNG.child("x").normal(Precision.FLOAT32, 0, 1, 2, 3, size, size);
                assertThat(m.net().forward(x, Mode.EVAL).shape()).as(m.architecture() + " at " + size)
                        .containsExactly(2, m.classes());
            }
        }
    }

    @Test
    void vggAndResnetHaveTheirCanonicalCounts() {
        // VGG-16-BN CIFAR: 14,728,266 with 10 classes; ResNet-18 CIFAR: 11,173,962 with 10 classes.
        assertThat(Models.vgg16(10, 32, options(ActivationSpec.relu(), Replacement.partial())).parameterCount()).isEqualTo(14_728_266);
        assertThat(Models.resnet18(10, 32, options(ActivationSpec.relu(), Replacement.partial())).parameterCount()).isEqualTo(11_173_962);
        Model vgg = Models.vgg16(10, 32, options(ActivationSpec.convRelu(), Replacement.partial()));
        // The two stage-1 ReLUs merge into conv 2 (3×3, 64 inputs) and conv 3 (after the pool, 64 inputs).
        assertThat(vgg.parameterCount(ParamRole.THRESHOLD)).isEqualTo(2 * 64 * 9);
        Model resnet = Models.resnet18(10, 32, options(ActivationSpec.convRelu(), Replacement.partial()));
        assertThat(resnet.replacedSites()).containsExactly("stage1.block1.relu1", "stage1.block2.relu1");
    }

    @Test
    void charCnnHasZhangsShapesAtAnyFrame() {
        Model small = Models.charCnn(Models.CharCnnSize.SMALL, 70, 1014, 4, options(ActivationSpec.relu(), Replacement.partial()), RNG.child("dropout"));
        // conv 70·256·7+256, 256·256·7+256 ×1, 4 × (256·256·3+256), fc 34·256·1024+1024, 1024²+1024, 1024·4+4
        long expected = (70L * 256 * 7 + 256) + (256L * 256 * 7 + 256) + 4 * (256L * 256 * 3 + 256)
                + (34L * 256 * 1024 + 1024) + (1024L * 1024 + 1024) + (1024L * 4 + 4);
        assertThat(small.parameterCount()).isEqualTo(expected);
        Model mr = Models.charCnn(Models.CharCnnSize.SMALL, 70, 256, 2, options(ActivationSpec.convRelu(), Replacement.partial()), RNG.child("dropout"));
        assertThat(mr.replacedSites()).containsExactly("conv1.relu", "conv2.relu");
        assertThat(mr.parameterCount(ParamRole.THRESHOLD)).isEqualTo(256 * 7 + 256 * 3);
        INDArray x = RNG.child("x").normal(Precision.FLOAT32, 0, 1, 2, 70, 256);
        assertThat(mr.net().forward(x, Mode.TRAIN).shape()).containsExactly(2, 2);
        assertThatThrownBy(() -> Models.charCnn(Models.CharCnnSize.SMALL, 70, 60, 2, options(ActivationSpec.relu(), Replacement.partial()), RNG))
                .hasMessageContaining("too short");
    }

    @Test
    void normalisedCharCnnHasBatchNormAfterEveryConvAndAGlobalMax() {
        Model plain = Models.charCnn("plain", 64, 256, org.convrelu.nn.init.Init.he(), 70, 256, 2,
                options(ActivationSpec.relu(), Replacement.partial()), RNG.child("dropout"));
        Model normalised = Models.charCnn("bn", Models.CharCnnForm.BATCH_NORM_GLOBAL_MAX, 64, 256, org.convrelu.nn.init.Init.he(), 70, 256, 2,
                options(ActivationSpec.relu(), Replacement.partial()), RNG.child("dropout"));
        // 256 → 250 → 83 → 77 → 25 → 23 → 21 → 19 → 17 → 5 positions: fc1 takes 5 · 64 inputs in Zhang's form, 64 after the global max.
        // The normalised form drops the six conv biases (6 · 64) and adds γ and β per conv (6 · 2 · 64).
        long fc1Difference = (5L * 64 - 64) * 256;
        assertThat(normalised.parameterCount()).isEqualTo(plain.parameterCount() - fc1Difference - 6 * 64 + 6 * 2 * 64);
        assertThat(normalised.parameterCount(ParamRole.BATCH_NORM)).isEqualTo(6 * 2 * 64);
        Model convRelu = Models.charCnn("bn", Models.CharCnnForm.BATCH_NORM_GLOBAL_MAX, 64, 256, org.convrelu.nn.init.Init.he(), 70, 256, 2,
                options(ActivationSpec.convRelu(), Replacement.partial()), RNG.child("dropout"));
        assertThat(convRelu.replacedSites()).containsExactly("conv1.relu", "conv2.relu");
        assertThat(convRelu.parameterCount(ParamRole.THRESHOLD)).isEqualTo(64 * 7 + 64 * 3);
        INDArray x = RNG.child("x").normal(Precision.FLOAT32, 0, 1, 3, 70, 256);
        assertThat(convRelu.net().forward(x, Mode.TRAIN).shape()).containsExactly(3, 2);
        // Where in the frame a phrase stands no longer matters. conv6's outputs have a stride of 9 characters and see 105; with
        // all-zero windows on both sides of the text, moving it by 27 characters moves conv6's outputs by 3 and changes no logit.
        Model shiftable = Models.charCnn("bn", Models.CharCnnForm.BATCH_NORM_GLOBAL_MAX, 4, 8, org.convrelu.nn.init.Init.he(), 5, 300, 2,
                options(ActivationSpec.relu(), Replacement.partial()), RNG.child("dropout"));
        INDArray text = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 5, 300);
        INDArray shifted = text.dup();
        for (int p = 100; p < 140; p++) {
            text.putScalar(new long[] {0, (p * 7) % 5, p}, 1);
            shifted.putScalar(new long[] {0, (p * 7) % 5, p + 27}, 1);
        }
        assertThat(shiftable.net().forward(shifted, Mode.EVAL).toDoubleVector())
                .containsExactly(shiftable.net().forward(text, Mode.EVAL).toDoubleVector(), org.assertj.core.api.Assertions.within(1e-5));
    }

    @Test
    void normalisedCharCnnPassesTheGradientCheck() {
        Models.Options o = new Models.Options(ActivationSpec.convRelu(ActivationSpec.ThresholdInit.RANDOM), Replacement.partial(),
                Precision.FLOAT64, RNG.child("init64"));
        Model m = Models.charCnn("tiny", Models.CharCnnForm.BATCH_NORM_GLOBAL_MAX, 3, 4, org.convrelu.nn.init.Init.he(), 5, 123, 3, o,
                RNG.child("dropout64"));
        INDArray x = RNG.child("x64").normal(Precision.FLOAT64, 0, 1, 3, 5, 123); // the shortest frame: conv6 leaves 3 positions
        m.net().forward(x, Mode.TRAIN); // running statistics of batch norm away from their initial 0 and 1
        // Evaluation mode: dropout is the identity, so repeated forwards of the check see one function.
        org.convrelu.nn.check.GradientChecker.Result r = org.convrelu.nn.check.GradientChecker.check(m.net(), x, Mode.EVAL,
                org.convrelu.nn.check.GradientChecker.Objective.crossEntropy(new int[] {0, 2, 1}),
                org.convrelu.nn.check.GradientChecker.Options.defaults().withMaxEntries(12));
        assertThat(r.passed()).as(r.toString()).isTrue();
        assertThat(m.net().params()).extracting(org.convrelu.nn.Param::name).contains("conv2.theta", "conv3.theta", "conv1.bn.gamma",
                "conv6.bn.beta");
    }

    @Test
    void smallModelsPassTheGradientCheckEndToEnd() {
        int[] labels = {0, 2, 1};
        for (ActivationSpec a : new ActivationSpec[] {ActivationSpec.convRelu(ActivationSpec.ThresholdInit.RANDOM),
                ActivationSpec.prelu(), ActivationSpec.frelu(), ActivationSpec.adaRelu(org.convrelu.nn.layers.AdaReLU.Sharing.CHANNEL,
                        ActivationSpec.ThresholdInit.RANDOM)}) {
            Models.Options o = new Models.Options(a, Replacement.all(), Precision.FLOAT64, RNG.child("init64"));
            Model m = Models.denseNetBC("tiny", new int[] {2, 1}, 3, 0.5, 3, 8, o);
            INDArray x = RNG.child("x64").normal(Precision.FLOAT64, 0, 1, 3, 3, 8, 8);
            org.convrelu.nn.check.GradientChecker.Result r = org.convrelu.nn.check.GradientChecker.check(m.net(), x, Mode.TRAIN,
                    org.convrelu.nn.check.GradientChecker.Objective.crossEntropy(labels),
                    org.convrelu.nn.check.GradientChecker.Options.defaults().withMaxEntries(12));
            assertThat(r.passed()).as(a.describe() + ": " + r).isTrue();
        }
    }

    /** A 3×3 convolution from {@code in} to {@code out} channels on a {@code side}×{@code side} map: its multiply-adds. */
    private static long conv3x3(long in, long out, long side) {
        return side * side * out * in * 9;
    }

    /** The multiply-adds of the CIFAR VGG-16 and ResNet-18, counted by hand layer by layer (ResNet-18's is the 0.56 G usually quoted). */
    @Test
    void multiplyAddsAreTheConvolutionsAndTheClassifierCountedByHand() {
        long vgg = conv3x3(3, 64, 32) + conv3x3(64, 64, 32)
                + conv3x3(64, 128, 16) + conv3x3(128, 128, 16)
                + conv3x3(128, 256, 8) + 2 * conv3x3(256, 256, 8)
                + conv3x3(256, 512, 4) + 2 * conv3x3(512, 512, 4)
                + 3 * conv3x3(512, 512, 2)
                + 512 * 10;
        assertThat(vgg).isEqualTo(313_201_664L);
        assertThat(Models.vgg16(10, 32, options(ActivationSpec.relu(), Replacement.partial())).multiplyAdds()).isEqualTo(vgg);
        assertThat(Models.vgg16(10, 32, options(ActivationSpec.convRelu(), Replacement.partial())).multiplyAdds())
                .as("ConvReLU's thresholds add maxima, not products").isEqualTo(vgg);

        long resnet = conv3x3(3, 64, 32) + 4 * conv3x3(64, 64, 32)
                + conv3x3(64, 128, 16) + 3 * conv3x3(128, 128, 16) + 16 * 16 * 128 * 64 // the 1×1 projection shortcut
                + conv3x3(128, 256, 8) + 3 * conv3x3(256, 256, 8) + 8 * 8 * 256 * 128
                + conv3x3(256, 512, 4) + 3 * conv3x3(512, 512, 4) + 4 * 4 * 512 * 256
                + 512 * 10;
        assertThat(resnet).isEqualTo(555_422_720L);
        assertThat(Models.resnet18(10, 32, options(ActivationSpec.convRelu(), Replacement.partial())).multiplyAdds()).isEqualTo(resnet);

        // a pooled stem leaves the stem conv and the classifier as they are and quarters every stage's products
        long stem = conv3x3(3, 64, 32), classifier = 512 * 10;
        Model pooled = Models.resnet18(10, 32, 1, true, options(ActivationSpec.relu(), Replacement.partial()));
        assertThat(pooled.multiplyAdds()).isEqualTo(stem + (resnet - stem - classifier) / 4 + classifier);
        assertThat(pooled.parameterCount()).isEqualTo(11_173_962);
        assertThat(pooled.architecture()).isEqualTo("resnet18_stempool");
    }

    @Test
    void narrowVggAndResnetPassTheGradientCheckEndToEnd() {
        Models.Options o = new Models.Options(ActivationSpec.convRelu(ActivationSpec.ThresholdInit.RANDOM), Replacement.partial(),
                Precision.FLOAT64, RNG.child("init64"));
        int[] labels = {0, 2, 1};
        for (Model m : new Model[] {Models.resnet18(3, 16, 16, true, o), Models.vgg16(3, 32, 32, o)}) {
            int side = m.architecture().startsWith("vgg") ? 32 : 16;
            INDArray x = RNG.child("x64").normal(Precision.FLOAT64, 0, 1, 3, 3, side, side);
            org.convrelu.nn.check.GradientChecker.Result r = org.convrelu.nn.check.GradientChecker.check(m.net(), x, Mode.TRAIN,
                    org.convrelu.nn.check.GradientChecker.Objective.crossEntropy(labels),
                    // VGG's conv biases feed a training-mode batch norm, so their gradient is exactly 0; through 13 convs
                    // the central difference leaves about 2e-9 there, which a floor of 1e-3 holds to the tolerance (1e-8)
                    new org.convrelu.nn.check.GradientChecker.Options(1e-6, 1e-5, 1e-3, 6, 1));
            assertThat(r.passed()).as(m.architecture() + ": " + r).isTrue();
        }
    }
}
