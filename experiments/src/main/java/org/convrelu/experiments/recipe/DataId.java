package org.convrelu.experiments.recipe;

import org.convrelu.datasets.Dataset;

/** The paper's six datasets, with the column names its tables use. */
public enum DataId {
    CIFAR10("CIFAR-10", Dataset.CIFAR10, false),
    CIFAR100("CIFAR-100", Dataset.CIFAR100, false),
    TINY_IMAGENET("Tiny ImageNet", Dataset.TINY_IMAGENET, false),
    MR("MR", Dataset.MR, true),
    AG_NEWS("AG's News", Dataset.AG_NEWS, true),
    YELP_FULL("Yelp Full", Dataset.YELP_FULL, true);

    private final String column;
    private final Dataset dataset;
    private final boolean text;

    DataId(String column, Dataset dataset, boolean text) {
        this.column = column;
        this.dataset = dataset;
        this.text = text;
    }

    public String column() {
        return column;
    }

    public Dataset dataset() {
        return dataset;
    }

    public boolean isText() {
        return text;
    }

    /** The identifier of reports and of the published figures: {@code cifar10}, {@code ag_news}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
