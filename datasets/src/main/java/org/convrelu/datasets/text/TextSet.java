package org.convrelu.datasets.text;

import java.util.List;

/** Labelled texts: {@code texts.get(i)} has label {@code labels[i]} in {@code 0..classes-1}. */
public record TextSet(String name, List<String> texts, int[] labels, int classes) {

    public TextSet {
        texts = List.copyOf(texts);
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(name + ": " + texts.size() + " texts but " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    public TextSet subset(String subsetName, int[] indices) {
        String[] t = new String[indices.length];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            t[i] = texts.get(indices[i]);
            l[i] = labels[indices[i]];
        }
        return new TextSet(subsetName, List.of(t), l, classes);
    }
}
