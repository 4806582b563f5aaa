package org.convrelu.datasets.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convrelu.tensor.RandomStream;

/** Seeded index splits: a stratified validation hold-out, k-fold cross-validation, and per-class subsets. */
public final class Subsets {
    private Subsets() {}

    /** Train and held-out index sets. */
    public record Split(int[] train, int[] heldOut) {}

    /** Holds out {@code fraction} of each class (seeded), so that nothing is chosen on the test split. */
    public static Split stratifiedHoldOut(int[] labels, int classes, double fraction, RandomStream rng) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("hold-out fraction must be in (0, 1), got " + fraction);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int[] members : byClass(labels, classes)) {
            int[] perm = rng.permutation(members.length);
            int k = (int) Math.round(members.length * fraction);
            for (int j = 0; j < members.length; j++) {
                (j < k ? held : train).add(members[perm[j]]);
            }
        }
        return new Split(sorted(train), sorted(held));
    }

    /** The first {@code perClass} examples of each class, in index order (a deterministic small subset). */
    public static int[] firstPerClass(int[] labels, int classes, int perClass) {
        List<Integer> out = new ArrayList<>();
        for (int[] members : byClass(labels, classes)) {
            for (int j = 0; j < Math.min(perClass, members.length); j++) {
                out.add(members[j]);
            }
        }
        return sorted(out);
    }

    /** {@code k} folds of a seeded permutation of {@code 0..n-1}; fold sizes differ by at most one. */
    public static List<Split> kFold(int n, int k, RandomStream rng) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("k must be in 2.." + n + ", got " + k);
        }
        int[] perm = rng.permutation(n);
        List<Split> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int from = (int) ((long) n * f / k);
            int to = (int) ((long) n * (f + 1) / k);
            int[] test = Arrays.copyOfRange(perm, from, to);
            int[] train = new int[n - test.length];
            System.arraycopy(perm, 0, train, 0, from);
            System.arraycopy(perm, to, train, from, n - to);
            Arrays.sort(test);
            Arrays.sort(train);
            folds.add(new Split(train, test));
        }
        return folds;
    }

    private static List<int[]> byClass(int[] labels, int classes) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            lists.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            lists.get(labels[i]).add(i);
        }
        return lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    private static int[] sorted(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
