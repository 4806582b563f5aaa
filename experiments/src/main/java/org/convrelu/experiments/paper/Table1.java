package org.convrelu.experiments.paper;

import java.util.List;
import org.convrelu.experiments.recipe.Arch;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Scale;

/** Table 1: ConvReLU against ReLU, LeakyReLU and PReLU on CIFAR-10, CIFAR-100 and Tiny ImageNet (DenseNet). */
public final class Table1 extends ActivationComparison {

    public Table1() {
        super("1", "ConvReLU and other activations, top-1 accuracy (%) on image datasets", Arch.DENSENET,
                List.of(DataId.CIFAR10, DataId.CIFAR100, DataId.TINY_IMAGENET));
    }

    @Override
    public List<String> notes(Scale scale) {
        return List.of("Network: the paper's \"DenseNet-40\" is densenet_cifar, the DenseNet-BC whose parameter counts are Table 6"
                        + " (see Table 6); ConvReLU and the partial rows replace the ReLUs of the first dense block, \"(A)\" every ReLU"
                        + " but the one before the classifier.",
                "LeakyReLU uses α = 0.01; PReLU one trainable slope per replaced ReLU (initialised to 0.25), as Table 6's counts imply.",
                "Tiny ImageNet is evaluated on its validation split (its test labels are not public). A cell trained on less than"
                        + " the full official splits says so in its note (\"partial data: ...\") and is marked partial_data at"
                        + " every scale; at paper scale the mark stands in place of its comparison with the published figure.");
    }
}
