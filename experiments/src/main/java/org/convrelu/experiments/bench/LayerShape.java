package org.convrelu.experiments.bench;

import java.util.Arrays;
import java.util.List;
import org.convrelu.nn.layers.ConvSpec;

/**
 * The per-layer benchmark shapes, batch 64, float32: densenet_cifar's first dense block on 32×32
 * (the 1×1 bottleneck convs from 24..84 to 48 channels, the 3×3 convs 48 → 12 with padding 1) and
 * the small char-CNN's first two convs (frame 1014).
 */
public record LayerShape(String id, String benchmark, ConvSpec spec, long[] input) {
    public static final int BATCH = 64;

    public static final List<LayerShape> ALL = List.of(
            dense1x1(24), dense1x1(36), dense1x1(48), dense1x1(60), dense1x1(72), dense1x1(84),
            new LayerShape("densenet-3x3", "densenet block 1, 3×3 forward+backward", ConvSpec.conv2d(48, 12, 3, 1, 1),
                    new long[] {BATCH, 48, 32, 32}),
            new LayerShape("charcnn-conv1", "char-CNN conv1 forward+backward", ConvSpec.conv1d(70, 256, 7, 1, 0).withBias(),
                    new long[] {BATCH, 70, 1014}),
            new LayerShape("charcnn-conv2", "char-CNN conv2 forward+backward", ConvSpec.conv1d(256, 256, 7, 1, 0).withBias(),
                    new long[] {BATCH, 256, 336}));

    /** One shape per layer kind. */
    public static final List<LayerShape> QUICK = List.of(ALL.get(5), ALL.get(6), ALL.get(7), ALL.get(8));

    private static LayerShape dense1x1(int channels) {
        return new LayerShape("densenet-1x1-" + channels, "densenet block 1, 1×1 forward+backward", ConvSpec.conv2d(channels, 48, 1, 1, 0),
                new long[] {BATCH, channels, 32, 32});
    }

    public static LayerShape byId(String id) {
        return ALL.stream().filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no benchmark shape " + id + "; known: "
                        + ALL.stream().map(LayerShape::id).toList()));
    }

    /** As the report and the PyTorch peer name it: {@code [64, 48, 32, 32] → 12, k=3, pad=1}. */
    public String describe() {
        return Arrays.toString(input) + " → " + spec.outChannels() + ", k=" + spec.geometry().kernel(0) + ", pad="
                + spec.geometry().padding(0);
    }
}
