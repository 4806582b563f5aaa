package org.convrelu.nn.models;

/**
 * A ReLU site of a model: its name (e.g. {@code block1.layer3.relu2}), the group it belongs to
 * (e.g. {@code block1}, {@code transition2}, {@code conv1}, {@code head}), and its channel count.
 */
public record Site(String name, String group, int channels) {
    /** The group of the ReLU before the classifier. */
    public static final String HEAD = "head";
}
