package org.convrelu.experiments.recipe;

import java.util.Locale;

/**
 * How big a run is. {@code SMOKE}: tiny real subsets, narrow models, a few steps, every table in
 * minutes on 2 cores (CI and a first look). {@code REDUCED}: the documented smaller protocol of
 * {@link Protocol} on the real data available, about one table in a few hours on 2 cores.
 * {@code PAPER}: the paper's networks, data and schedule (what it leaves unstated filled in as
 * {@link Protocol} says), for a GPU or a long run.
 */
public enum Scale {
    SMOKE(1),
    REDUCED(3),
    PAPER(3);

    private final int defaultSeeds;

    Scale(int defaultSeeds) {
        this.defaultSeeds = defaultSeeds;
    }

    public int defaultSeeds() {
        return defaultSeeds;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scale parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown scale '" + s + "': expected smoke, reduced or paper");
        }
    }
}
