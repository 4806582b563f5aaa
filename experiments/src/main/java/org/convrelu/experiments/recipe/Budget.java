package org.convrelu.experiments.recipe;

import java.util.EnumMap;
import java.util.Map;

/**
 * How much of each dataset a scale trains, and how: one row of {@link #TABLE} per (scale, data),
 * so every scale rule is a value to read rather than a branch to follow. 0 samples per class means
 * the whole split; frame is the text input length (0 for images). Why each reduced value was
 * chosen is measured in {@code docs/scales.md}.
 */
public record Budget(int trainPerClass, int evalPerClass, int epochs, int batch, int frame) {
    private static final int PAPER_EPOCHS = Recipe.PAPER_EPOCHS;
    private static final int REDUCED_CIFAR_EPOCHS = Recipe.REDUCED_CIFAR_EPOCHS;

    private static final Map<Scale, Map<DataId, Budget>> TABLE = new EnumMap<>(Scale.class);

    static {
        //                                               train  eval  epochs                batch  frame
        row(Scale.SMOKE,   DataId.CIFAR10,       new Budget(100,   50,    2,                    64,    0));
        row(Scale.SMOKE,   DataId.CIFAR100,      new Budget( 10,    5,    2,                    64,    0));
        row(Scale.SMOKE,   DataId.TINY_IMAGENET, new Budget(  2,    2,    1,                    50,    0));
        row(Scale.SMOKE,   DataId.MR,            new Budget(128,   64,    2,                    64,  256));
        row(Scale.SMOKE,   DataId.AG_NEWS,       new Budget(128,   64,    2,                    64,  256));
        row(Scale.SMOKE,   DataId.YELP_FULL,     new Budget(128,   64,    2,                    64,  256));
        // reduced: the whole CIFAR and text training sets; of Tiny ImageNet, what the data directory holds
        row(Scale.REDUCED, DataId.CIFAR10,       new Budget(  0,    0,    REDUCED_CIFAR_EPOCHS, 128,   0));
        row(Scale.REDUCED, DataId.CIFAR100,      new Budget(  0,    0,    REDUCED_CIFAR_EPOCHS, 128,   0));
        row(Scale.REDUCED, DataId.TINY_IMAGENET, new Budget( 10,   10,    4,                    50,    0));
        row(Scale.REDUCED, DataId.MR,            new Budget(  0,    0,   10,                    64,  256));
        row(Scale.REDUCED, DataId.AG_NEWS,       new Budget(  0,    0,   10,                    64,  512));
        row(Scale.REDUCED, DataId.YELP_FULL,     new Budget(  0,    0,   10,                    64,  512));
        // paper: the whole splits, the paper's batch and schedule length, Zhang et al.'s frame
        row(Scale.PAPER,   DataId.CIFAR10,       new Budget(  0,    0,  PAPER_EPOCHS,          128,    0));
        row(Scale.PAPER,   DataId.CIFAR100,      new Budget(  0,    0,  PAPER_EPOCHS,          128,    0));
        row(Scale.PAPER,   DataId.TINY_IMAGENET, new Budget(  0,    0,  PAPER_EPOCHS,          128,    0));
        row(Scale.PAPER,   DataId.MR,            new Budget(  0,    0,  PAPER_EPOCHS,          128, 1014));
        row(Scale.PAPER,   DataId.AG_NEWS,       new Budget(  0,    0,  PAPER_EPOCHS,          128, 1014));
        row(Scale.PAPER,   DataId.YELP_FULL,     new Budget(  0,    0,  PAPER_EPOCHS,          128, 1014));
    }

    private static void row(Scale scale, DataId data, Budget budget) {
        TABLE.computeIfAbsent(scale, s -> new EnumMap<>(DataId.class)).put(data, budget);
    }

    /** The row of {@code scale} for {@code data}. */
    public static Budget of(Scale scale, DataId data) {
        return TABLE.get(scale).get(data);
    }
}
