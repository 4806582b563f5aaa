package org.convrelu.nn.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.convrelu.nn.Layer;
import org.convrelu.nn.init.Init;
import org.convrelu.nn.layers.BatchNorm;
import org.convrelu.nn.layers.Conv;
import org.convrelu.nn.layers.ConvSpec;
import org.convrelu.nn.layers.DenseConcat;
import org.convrelu.nn.layers.Dropout;
import org.convrelu.nn.layers.Flatten;
import org.convrelu.nn.layers.GlobalAvgPool;
import org.convrelu.nn.layers.Linear;
import org.convrelu.nn.layers.Pool;
import org.convrelu.nn.layers.Residual;
import org.convrelu.nn.layers.Sequential;
import org.convrelu.tensor.ConvGeometry;
import org.convrelu.tensor.Precision;
import org.convrelu.tensor.RandomStream;

/**
 * The paper's networks, each with any activation at any set of its ReLU sites.
 *
 * <p>Image models take square inputs of any size divisible by their total down-sampling (32×32
 * for CIFAR, 64×64 for Tiny ImageNet). Their heads end in a global average pool, which at 32×32
 * is exactly the 4×4 average pool of the CIFAR code; at 64×64 it averages the 8×8 final map, so
 * the parameter count does not change with the input size.
 */
public final class Models {
    private Models() {}

    /** How a model is built: activation, where it goes, precision and the stream its initial weights come from. */
    public record Options(ActivationSpec activation, Replacement replacement, Precision precision, RandomStream rng) {
        public static Options relu(Precision precision, RandomStream rng) {
            return new Options(ActivationSpec.relu(), Replacement.partial(), precision, rng);
        }
    }

    /**
     * {@code densenet_cifar}: the CIFAR DenseNet-BC whose parameter counts are the paper's Table 6
     * (they match this network exactly, and only it): 4 dense blocks of [6, 12, 24, 16] bottleneck layers, growth 12,
     * a 3×3 stem conv to 24 channels, compression 0.5, no conv biases. The paper calls it
     * "DenseNet-40".
     */
    public static Model densenetCifar(int classes, int imageSize, Options o) {
        return denseNetBC("densenet_cifar", new int[] {6, 12, 24, 16}, 12, 0.5, classes, imageSize, o);
    }

    /**
     * A DenseNet-BC: each layer {@code BN → ReLU → 1×1 conv to 4k → BN → ReLU → 3×3 conv to k},
     * concatenated to its input; transitions {@code BN → ReLU → 1×1 conv (×reduction) → 2×2 avg pool};
     * head {@code BN → ReLU → global avg pool → linear}. Smaller block lists and growth give the
     * narrow models of smoke runs.
     */
    public static Model denseNetBC(String name, int[] blocks, int growth, double reduction, int classes, int imageSize, Options o) {
        return denseNetBC(name, blocks, growth, reduction, false, classes, imageSize, o);
    }

    /**
     * A DenseNet-BC as {@link #denseNetBC(String, int[], int, double, int, int, Options)}; with
     * {@code stemPool} the stem conv is followed by a 2×2 average pool, so the blocks work at half
     * the input's side (the ImageNet DenseNets pool after their stem too).
     */
    public static Model denseNetBC(String name, int[] blocks, int growth, double reduction, boolean stemPool, int classes, int imageSize,
            Options o) {
        int downsampling = (1 << (blocks.length - 1)) * (stemPool ? 2 : 1);
        requireImageSize(name, imageSize, downsampling);
        Sites sites = new Sites(o.activation(), o.replacement(), Set.of("block1"), "block1", "block" + blocks.length,
                2, o.precision(), o.rng());
        List<Layer> layers = new ArrayList<>();
        int c = 2 * growth;
        layers.add(new Conv("conv1", ConvSpec.conv2d(3, c, 3, 1, 1), Init.he(), o.precision(), o.rng().child("conv1")));
        if (stemPool) {
            layers.add(Pool.avg2d("pool1", 2, 2));
        }
        for (int b = 1; b <= blocks.length; b++) {
            String block = "block" + b;
            for (int i = 1; i <= blocks[b - 1]; i++) {
                String l = block + ".layer" + i;
                List<Layer> branch = new ArrayList<>();
                branch.add(new BatchNorm(l + ".bn1", c, o.precision()));
                branch.addAll(sites.activationThenConv(new Site(l + ".relu1", block, c), null, l + ".conv1",
                        ConvSpec.conv2d(c, 4 * growth, 1, 1, 0), Init.he()));
                branch.add(new BatchNorm(l + ".bn2", 4 * growth, o.precision()));
                branch.addAll(sites.activationThenConv(new Site(l + ".relu2", block, 4 * growth), null, l + ".conv2",
                        ConvSpec.conv2d(4 * growth, growth, 3, 1, 1), Init.he()));
                layers.add(new DenseConcat(l, new Sequential(l + ".branch", branch)));
                c += growth;
            }
            if (b < blocks.length) {
                String t = "transition" + b;
                int out = (int) Math.floor(c * reduction);
                layers.add(new BatchNorm(t + ".bn", c, o.precision()));
                layers.addAll(sites.activationThenConv(new Site(t + ".relu", t, c), null, t + ".conv",
                        ConvSpec.conv2d(c, out, 1, 1, 0), Init.he()));
                layers.add(Pool.avg2d(t + ".pool", 2, 2));
                c = out;
            }
        }
        head(layers, sites, c, classes, o);
        return model(name, layers, sites, o, imageSize, classes);
    }

    /**
     * DenseNet-40 of Huang et al. (2017): 3 dense blocks of 12 layers {@code BN → ReLU → 3×3 conv}
     * with growth 12, a 3×3 stem conv to 16 channels, transitions {@code BN → ReLU → 1×1 conv →
     * 2×2 avg pool} keeping the channel count, no bottleneck or compression.
     */
    public static Model densenet40(int classes, int imageSize, Options o) {
        String name = "densenet40";
        requireImageSize(name, imageSize, 4);
        Sites sites = new Sites(o.activation(), o.replacement(), Set.of("block1"), "block1", "block3", 2, o.precision(), o.rng());
        List<Layer> layers = new ArrayList<>();
        int c = 16;
        int growth = 12;
        layers.add(new Conv("conv1", ConvSpec.conv2d(3, c, 3, 1, 1), Init.he(), o.precision(), o.rng().child("conv1")));
        for (int b = 1; b <= 3; b++) {
            String block = "block" + b;
            for (int i = 1; i <= 12; i++) {
                String l = block + ".layer" + i;
                List<Layer> branch = new ArrayList<>();
                branch.add(new BatchNorm(l + ".bn", c, o.precision()));
                branch.addAll(sites.activationThenConv(new Site(l + ".relu", block, c), null, l + ".conv",
                        ConvSpec.conv2d(c, growth, 3, 1, 1), Init.he()));
                layers.add(new DenseConcat(l, new Sequential(l + ".branch", branch)));
                c += growth;
            }
            if (b < 3) {
                String t = "transition" + b;
                layers.add(new BatchNorm(t + ".bn", c, o.precision()));
                layers.addAll(sites.activationThenConv(new Site(t + ".relu", t, c), null, t + ".conv",
                        ConvSpec.conv2d(c, c, 1, 1, 0), Init.he()));
                layers.add(Pool.avg2d(t + ".pool", 2, 2));
            }
        }
        head(layers, sites, c, classes, o);
        return model(name, layers, sites, o, imageSize, classes);
    }

    /**
     * VGG-16 with batch normalisation in its CIFAR form (Simonyan and Zisserman 2015): 13 3×3
     * convs with bias in 5 stages [64², 128², 256³, 512³, 512³], 2×2 max pooling after each stage,
     * then a linear classifier. The last ReLU, which feeds the classifier, is the head's.
     */
    public static Model vgg16(int classes, int imageSize, Options o) {
        return vgg16(classes, imageSize, 1, o);
    }

    /** VGG-16 with every width divided by {@code widthDivisor} (the narrow forms of the smoke and reduced scales). */
    public static Model vgg16(int classes, int imageSize, int widthDivisor, Options o) {
        String name = widthDivisor == 1 ? "vgg16" : "vgg16_w1/" + widthDivisor;
        requireImageSize(name, imageSize, 32);
        int w = widthDivisor;
        int[][] stages = {{64 / w, 64 / w}, {128 / w, 128 / w}, {256 / w, 256 / w, 256 / w}, {512 / w, 512 / w, 512 / w},
                {512 / w, 512 / w, 512 / w}};
        Sites sites = new Sites(o.activation(), o.replacement(), Set.of("stage1"), "stage1", "stage5", 2, o.precision(), o.rng());
        List<Layer> layers = new ArrayList<>();
        int c = 3;
        Site pending = null;
        Layer pendingPool = null;
        for (int s = 1; s <= stages.length; s++) {
            for (int j = 1; j <= stages[s - 1].length; j++) {
                int out = stages[s - 1][j - 1];
                String conv = "stage" + s + ".conv" + j;
                ConvSpec spec = ConvSpec.conv2d(c, out, 3, 1, 1).withBias();
                if (pending == null) {
                    layers.add(new Conv(conv, spec, Init.he(), o.precision(), o.rng().child(conv)));
                } else {
                    layers.addAll(sites.activationThenConv(pending, pendingPool, conv, spec, Init.he()));
                    pendingPool = null;
                }
                layers.add(new BatchNorm("stage" + s + ".bn" + j, out, o.precision()));
                pending = new Site("stage" + s + ".relu" + j, "stage" + s, out);
                c = out;
            }
            pendingPool = Pool.max2d("stage" + s + ".pool", 2, 2, 0);
        }
        layers.add(sites.activation(new Site(pending.name(), Site.HEAD, c)));
        layers.add(pendingPool);
        layers.add(new GlobalAvgPool("head.pool"));
        layers.add(new Linear("head.fc", c, classes, true, Init.lecun(), o.precision(), o.rng().child("head.fc")));
        return model(name, layers, sites, o, imageSize, classes);
    }

    /**
     * ResNet-18 in its CIFAR form (He et al. 2016): a 3×3 stem conv to 64 channels, four stages of
     * two basic blocks (64, 128, 256, 512 channels; stride 2 from stage 2 on, with 1×1 projection
     * shortcuts), global average pooling and a linear classifier. A ConvReLU can merge only where a
     * ReLU feeds one convolution, the ReLU inside each block; the ReLUs after the residual sums also
     * feed the next shortcut and stay ReLU under ConvReLU.
     */
    public static Model resnet18(int classes, int imageSize, Options o) {
        return resnet18(classes, imageSize, 1, o);
    }

    /** ResNet-18 with every width divided by {@code widthDivisor} (the narrow forms of the smoke and reduced scales). */
    public static Model resnet18(int classes, int imageSize, int widthDivisor, Options o) {
        return resnet18(classes, imageSize, widthDivisor, false, o);
    }

    /**
     * ResNet-18 with every width divided by {@code widthDivisor}; with {@code stemPool} the stem's ReLU
     * is followed by a 2×2 max pool, so the stages work at half resolution (a quarter of the
     * products), as the ImageNet ResNets pool after their stem.
     */
    public static Model resnet18(int classes, int imageSize, int widthDivisor, boolean stemPool, Options o) {
        String name = (widthDivisor == 1 ? "resnet18" : "resnet18_w1/" + widthDivisor) + (stemPool ? "_stempool" : "");
        requireImageSize(name, imageSize, stemPool ? 16 : 8);
        int w = widthDivisor;
        Sites sites = new Sites(o.activation(), o.replacement(), Set.of("stage1"), "stage1", "stage4", 2, o.precision(), o.rng());
        List<Layer> layers = new ArrayList<>();
        int c = 64 / w;
        layers.add(new Conv("stem.conv", ConvSpec.conv2d(3, c, 3, 1, 1), Init.he(), o.precision(), o.rng().child("stem.conv")));
        layers.add(new BatchNorm("stem.bn", c, o.precision()));
        layers.add(sites.activation(new Site("stem.relu", "stem", c)));
        if (stemPool) {
            layers.add(Pool.max2d("stem.pool", 2, 2, 0));
        }
        int[] widths = {64 / w, 128 / w, 256 / w, 512 / w};
        for (int s = 1; s <= 4; s++) {
            for (int b = 1; b <= 2; b++) {
                String blk = "stage" + s + ".block" + b;
                int out = widths[s - 1];
                int stride = s > 1 && b == 1 ? 2 : 1;
                List<Layer> branch = new ArrayList<>();
                branch.add(new Conv(blk + ".conv1", ConvSpec.conv2d(c, out, 3, stride, 1), Init.he(), o.precision(),
                        o.rng().child(blk + ".conv1")));
                branch.add(new BatchNorm(blk + ".bn1", out, o.precision()));
                branch.addAll(sites.activationThenConv(new Site(blk + ".relu1", "stage" + s, out), null, blk + ".conv2",
                        ConvSpec.conv2d(out, out, 3, 1, 1), Init.he()));
                branch.add(new BatchNorm(blk + ".bn2", out, o.precision()));
                Layer shortcut = null;
                if (stride != 1 || c != out) {
                    shortcut = new Sequential(blk + ".shortcut", List.of(
                            new Conv(blk + ".shortcut.conv", ConvSpec.conv2d(c, out, 1, stride, 0), Init.he(), o.precision(),
                                    o.rng().child(blk + ".shortcut.conv")),
                            new BatchNorm(blk + ".shortcut.bn", out, o.precision())));
                }
                layers.add(new Residual(blk, new Sequential(blk + ".branch", branch), shortcut));
                boolean last = s == 4 && b == 2;
                layers.add(sites.activation(new Site(blk + ".relu2", last ? Site.HEAD : "stage" + s, out)));
                c = out;
            }
        }
        layers.add(new GlobalAvgPool("head.pool"));
        layers.add(new Linear("head.fc", c, classes, true, Init.lecun(), o.precision(), o.rng().child("head.fc")));
        return model(name, layers, sites, o, imageSize, classes);
    }

    /** The two char-CNNs of Zhang, Zhao and LeCun (2015). */
    public enum CharCnnSize {
        /** 256 features, FC 1024, weights N(0, 0.05²). */
        SMALL(256, 1024, 0.05),
        /** 1024 features, FC 2048, weights N(0, 0.02²). */
        LARGE(1024, 2048, 0.02);

        final int features;
        final int hidden;
        final double std;

        CharCnnSize(int features, int hidden, double std) {
            this.features = features;
            this.hidden = hidden;
            this.std = std;
        }
    }

    /**
     * The char-CNN of Zhang, Zhao and LeCun (2015): six valid temporal convs (kernels 7, 7, 3, 3,
     * 3, 3) with max-pool 3 after convs 1, 2 and 6, then FC → ReLU → dropout 0.5 → FC → ReLU →
     * dropout 0.5 → FC. Input {@code [N, alphabet, frame]}; 1,014 → 336 → 110 → 102 → 34 positions at
     * the paper's frame; any frame of at least 123 characters works. The paper's partial replacement targets the ReLUs of
     * conv1 and conv2, which ConvReLU merges into conv2 and conv3 (ReLU and max pooling commute).
     *
     * @param dropout the stream dropout masks are drawn from
     */
    public static Model charCnn(CharCnnSize size, int alphabet, int frame, int classes, Options o, RandomStream dropout) {
        return charCnn("charcnn_" + size.name().toLowerCase(java.util.Locale.ROOT), size.features, size.hidden,
                Init.normal(size.std), alphabet, frame, classes, o, dropout);
    }

    /** How the char-CNN is built around Zhang et al.'s six convs. */
    public enum CharCnnForm {
        /** As published: a bias on every conv, max-pool 3 after conv6 and FC layers over the positions left. */
        ZHANG,
        /**
         * Ours for small data: batch norm after every conv (whose bias it replaces) and a max over
         * all positions after conv6, so the classifier sees features that do not depend on where in
         * the frame a phrase stands. On MR's 9,600 training sentences Zhang et al.'s form stays at a
         * constant guess under SGD; this one learns (docs/scales.md).
         */
        BATCH_NORM_GLOBAL_MAX
    }

    /**
     * The char-CNN with {@code features} conv channels, {@code hidden} FC units and the weight
     * initialiser {@code w} (narrow models for smaller runs: Zhang et al.'s fixed N(0, 0.05²) is
     * calibrated for 256 features and leaves a 32-feature network's signal vanishing; He
     * initialisation keeps it trainable).
     */
    public static Model charCnn(String name, int features, int hidden, Init w, int alphabet, int frame, int classes,
            Options o, RandomStream dropout) {
        return charCnn(name, CharCnnForm.ZHANG, features, hidden, w, alphabet, frame, classes, o, dropout);
    }

    /**
     * The char-CNN in {@code form} with {@code features} conv channels and {@code hidden} FC units.
     * With batch norm, each conv is followed by it and then by the activation site, so ConvReLU's
     * thresholds act on normalised inputs as in the DenseNets.
     */
    public static Model charCnn(String name, CharCnnForm form, int features, int hidden, Init w, int alphabet, int frame, int classes,
            Options o, RandomStream dropout) {
        boolean normalised = form == CharCnnForm.BATCH_NORM_GLOBAL_MAX;
        int f = features;
        long positions = frame; // after conv6 and its pool: the positions fc1 sees (Zhang), or those the global max takes
        int[] kernels = {7, 7, 3, 3, 3, 3};
        for (int i = 0; i < 6; i++) {
            positions -= kernels[i] - 1;
            if (i == 0 || i == 1 || (i == 5 && !normalised)) {
                positions /= 3;
            }
            if (positions < 1) {
                throw new IllegalArgumentException(name + ": a frame of " + frame + " characters is too short for six convs and three pools");
            }
        }
        Sites sites = new Sites(o.activation(), o.replacement(), Set.of("conv1", "conv2"), "conv1", "conv6", 1, o.precision(), o.rng());
        List<Layer> layers = new ArrayList<>();
        ConvSpec first = ConvSpec.conv1d(alphabet, f, 7, 1, 0);
        layers.add(new Conv("conv1", normalised ? first : first.withBias(), w, o.precision(), o.rng().child("conv1")));
        for (int i = 2; i <= 6; i++) {
            if (normalised) {
                layers.add(new BatchNorm("conv" + (i - 1) + ".bn", f, o.precision()));
            }
            Layer pool = i == 2 || i == 3 ? Pool.max1d("pool" + (i - 1), 3, 3) : null;
            ConvSpec conv = ConvSpec.conv1d(f, f, kernels[i - 1], 1, 0);
            layers.addAll(sites.activationThenConv(new Site("conv" + (i - 1) + ".relu", "conv" + (i - 1), f), pool, "conv" + i,
                    normalised ? conv : conv.withBias(), w));
        }
        if (normalised) {
            layers.add(new BatchNorm("conv6.bn", f, o.precision()));
        }
        layers.add(sites.activation(new Site("conv6.relu", "conv6", f)));
        int window = normalised ? (int) positions : 3; // [N, f, L6] → [N, f, 1] or [N, f, L6 / 3]
        layers.add(new Pool(normalised ? "pool3.global" : "pool3", Pool.Kind.MAX, ConvGeometry.of(1, window, window, 0)));
        layers.add(new Flatten("flatten"));
        layers.add(new Linear("fc1", (int) ((normalised ? 1 : positions) * f), hidden, true, w, o.precision(), o.rng().child("fc1")));
        layers.add(sites.activation(new Site("fc1.relu", "fc1", hidden)));
        layers.add(new Dropout("fc1.dropout", 0.5, dropout.child("fc1")));
        layers.add(new Linear("fc2", hidden, hidden, true, w, o.precision(), o.rng().child("fc2")));
        layers.add(sites.activation(new Site("fc2.relu", Site.HEAD, hidden)));
        layers.add(new Dropout("fc2.dropout", 0.5, dropout.child("fc2")));
        layers.add(new Linear("fc3", hidden, classes, true, w, o.precision(), o.rng().child("fc3")));
        return new Model(name, new Sequential(name, layers), o.activation(), o.replacement(), sites.allSites(),
                sites.replacedSites(), new long[] {alphabet, frame}, classes);
    }

    private static void head(List<Layer> layers, Sites sites, int c, int classes, Options o) {
        layers.add(new BatchNorm("head.bn", c, o.precision()));
        layers.add(sites.activation(new Site("head.relu", Site.HEAD, c)));
        layers.add(new GlobalAvgPool("head.pool"));
        layers.add(new Linear("head.fc", c, classes, true, Init.lecun(), o.precision(), o.rng().child("head.fc")));
    }

    private static Model model(String name, List<Layer> layers, Sites sites, Options o, int imageSize, int classes) {
        return new Model(name, new Sequential(name, layers), o.activation(), o.replacement(), sites.allSites(),
                sites.replacedSites(), new long[] {3, imageSize, imageSize}, classes);
    }

    private static void requireImageSize(String name, int size, int multiple) {
        if (size < multiple || size % multiple != 0) {
            throw new IllegalArgumentException(name + ": image size must be a positive multiple of " + multiple + ", got " + size);
        }
    }
}
