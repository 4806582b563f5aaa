package org.convrelu.experiments.recipe;

/** The networks of the paper's experiments. */
public enum Arch {
    /** {@code densenet_cifar}, the DenseNet-BC behind Table 6 (the paper's "DenseNet-40"). */
    DENSENET("DenseNet-40"),
    VGG16("VGG-16"),
    RESNET18("ResNet-18"),
    /** The char-CNN of Zhang, Zhao and LeCun (2015). */
    CHARCNN("char-CNN");

    private final String label;

    Arch(String label) {
        this.label = label;
    }

    /** The identifier of reports and of the published figures: {@code densenet}, {@code vgg16}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The name the paper's tables use. */
    public String label() {
        return label;
    }
}
