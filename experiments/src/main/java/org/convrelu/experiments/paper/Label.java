package org.convrelu.experiments.paper;

/**
 * A row or column of a table: {@code id} joins it to results and to the published figures
 * ({@code convrelu}, {@code cifar100}); {@code text} is what the report prints ("ConvReLU", "CIFAR-100").
 */
public record Label(String id, String text) {
    public Label {
        if (!id.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("a label id is lower case, digits and '_': " + id);
        }
    }
}
