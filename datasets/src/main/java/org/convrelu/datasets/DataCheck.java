package org.convrelu.datasets;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.Cifar;
import org.convrelu.datasets.image.ImageSet;
import org.convrelu.datasets.image.TinyImageNet;
import org.convrelu.datasets.text.TextFiles;
import org.convrelu.datasets.text.TextSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks a data directory: for every dataset found, its checksums against the published ones,
 * split sizes, class counts, and for images the per-channel mean and std of the train split.
 */
@Command(name = "data-check", mixinStandardHelpOptions = true,
        description = "Check the datasets under a data directory: checksums, split sizes, class counts, channel statistics.")
public final class DataCheck implements Callable<Integer> {

    @Option(names = "--data", description = "data root (default: -D" + DataDir.PROPERTY + ", $" + DataDir.ENV + ", or "
            + DataDir.DEFAULT + ")")
    Path data;

    @Option(names = "--download", description = "download missing datasets from their official addresses")
    boolean download;

    private final PrintStream out;
    private int problems;

    public DataCheck(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DataCheck(System.out)).execute(args));
    }

    @Override
    public Integer call() {
        DataDir dir = data == null ? DataDir.resolve() : new DataDir(data);
        if (!java.nio.file.Files.isDirectory(dir.root()) && !download) {
            System.err.println("data check: the data root " + dir.root().toAbsolutePath() + " is not a directory (set it with --data,"
                    + " -D" + DataDir.PROPERTY + " or $" + DataDir.ENV + "; --download creates it and fetches the datasets)");
            return 2;
        }
        out.println("Data root: " + dir.root());
        for (Dataset d : Dataset.values()) {
            out.println();
            check(d, dir);
        }
        out.println();
        out.println(problems == 0 ? "No problems found." : problems + " problem(s) found.");
        return problems == 0 ? 0 : 1;
    }

    private void check(Dataset dataset, DataDir dir) {
        Path folder;
        try {
            folder = Downloads.locate(dataset, dir, download);
        } catch (DataFormatException e) {
            out.println(dataset.title() + ": not found (looked for " + String.join(", ", dataset.folders()) + "); source: "
                    + dataset.downloads().get(0).url());
            return;
        }
        out.println(dataset.title() + ": " + folder);
        checksums(dataset, folder);
        switch (dataset) {
            case CIFAR10 -> images(() -> Cifar.cifar10(dir, false));
            case CIFAR100 -> images(() -> Cifar.cifar100(dir, Cifar.Labels.FINE, false));
            case TINY_IMAGENET -> {
                TinyImageNet.Splits s = attempt("load", () -> TinyImageNet.load(dir, false));
                if (s != null) {
                    describe("train", s.train());
                    describe("val", s.val());
                    out.println("  train channel statistics: " + ChannelStats.of(s.train()));
                }
            }
            case MR -> {
                TextSet mr = attempt("load", () -> TextFiles.mr(dir, false));
                if (mr != null) {
                    describe("all (no official split; use 10-fold cross-validation)", mr);
                }
            }
            case AG_NEWS, YELP_FULL -> {
                for (String split : new String[] {"train", "test"}) {
                    if (!Files.exists(folder.resolve(split + ".csv"))) {
                        out.println("  " + split + ": missing " + folder.resolve(split + ".csv"));
                        continue;
                    }
                    TextSet t = attempt(split, () -> TextFiles.zhangCsv(dir, dataset, split, false));
                    if (t != null) {
                        describe(split, t);
                    }
                }
            }
        }
    }

    private void checksums(Dataset dataset, Path folder) {
        for (Dataset.DataFile f : dataset.files()) {
            Path file = folder.resolve(f.path());
            if (!Files.exists(file)) {
                continue;
            }
            if (f.checksum() == null) {
                out.println("  checksum " + f.path() + ": no published per-file checksum");
                continue;
            }
            verify(f.path(), file, f.checksum());
        }
        for (Dataset.Download d : dataset.downloads()) {
            Path archive = folder.resolve(Path.of(d.saveAs()).getFileName().toString());
            if (d.archive() && Files.exists(archive)) {
                verify(archive.getFileName().toString(), archive, d.checksum());
            }
        }
    }

    private void verify(String name, Path file, Checksums.Expected expected) {
        try {
            Checksums.verify(file, expected);
            out.println("  checksum " + name + ": ok (" + expected + ", published)");
        } catch (DataFormatException e) {
            problems++;
            out.println("  checksum " + name + ": MISMATCH: " + e.getMessage());
        }
    }

    private void images(Supplier<Cifar.Splits> load) {
        Cifar.Splits s = attempt("load", load);
        if (s != null) {
            describe("train", s.train());
            describe("test", s.test());
            out.println("  train channel statistics: " + ChannelStats.of(s.train()));
        }
    }

    private void describe(String split, ImageSet set) {
        out.printf(Locale.ROOT, "  %s: %,d images %d×%d×%d, %s%n", split, set.size(), set.channels(), set.height(),
                set.width(), classes(set.classCounts()));
    }

    private void describe(String split, TextSet set) {
        out.printf(Locale.ROOT, "  %s: %,d texts, %s%n", split, set.size(), classes(set.classCounts()));
    }

    /** "10 classes × 5,000" when balanced, else the range and (for few classes) the counts. */
    static String classes(int[] counts) {
        int min = Arrays.stream(counts).min().orElse(0);
        int max = Arrays.stream(counts).max().orElse(0);
        if (min == max) {
            return String.format(Locale.ROOT, "%d classes × %,d", counts.length, min);
        }
        return String.format(Locale.ROOT, "%d classes, %,d..%,d per class%s", counts.length, min, max,
                counts.length <= 10 ? " " + Arrays.toString(counts) : "");
    }

    private <T> T attempt(String what, Supplier<T> load) {
        try {
            return load.get();
        } catch (DataFormatException e) {
            problems++;
            out.println("  " + what + ": ERROR " + e.getMessage());
            return null;
        }
    }
}
