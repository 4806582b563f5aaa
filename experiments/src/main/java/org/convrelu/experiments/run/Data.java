package org.convrelu.experiments.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.convrelu.datasets.Checksums;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.DataFormatException;
import org.convrelu.datasets.Dataset;
import org.convrelu.datasets.Downloads;
import org.convrelu.datasets.batch.BatchLoader;
import org.convrelu.datasets.batch.ExampleSource;
import org.convrelu.datasets.batch.ImageExamples;
import org.convrelu.datasets.batch.Subsets;
import org.convrelu.datasets.image.Augmentation;
import org.convrelu.datasets.image.ChannelStats;
import org.convrelu.datasets.image.Cifar;
import org.convrelu.datasets.image.ImageSet;
import org.convrelu.datasets.image.TinyImageNet;
import org.convrelu.datasets.text.CharQuantizer;
import org.convrelu.datasets.text.TextExamples;
import org.convrelu.datasets.text.TextFiles;
import org.convrelu.datasets.text.TextNormaliser;
import org.convrelu.datasets.text.TextSet;
import org.convrelu.experiments.recipe.DataId;
import org.convrelu.experiments.recipe.Recipe;
import org.convrelu.tensor.BatchStream;
import org.convrelu.tensor.RandomStream;

/**
 * The data of a cell: training and evaluation batches as its recipe asks, loaded once per
 * process. Evaluation is always on the official test split (validation for Tiny ImageNet), or on
 * a held-out fold where a dataset has no split; nothing is ever chosen on it.
 */
public final class Data {
    /** A dataset the data directory does not hold; the cell is reported as not run. */
    public static final class NotAvailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotAvailable(String reason) {
            super(reason);
        }
    }

    /**
     * Training and evaluation streams, with what they are; {@code partial} says what is missing of
     * the official splits (null when they are whole), so such numbers are never scored against the paper's.
     */
    public record Prepared(BatchStream train, BatchStream eval, int classes, long[] inputShape, String description, String partial) {}

    /** Training images per class of Tiny ImageNet's full training split. */
    private static final int TINY_IMAGENET_TRAIN_PER_CLASS = 500;

    /** Splits loaded once per process, per data directory: the image datasets and the text files. */
    private static final Map<Source, ImageSplits> IMAGES = new ConcurrentHashMap<>();
    private static final Map<Source, TextSet> TEXTS = new ConcurrentHashMap<>();

    /** A dataset's split (or whole file set, for MR) under a data directory. */
    private record Source(DataId data, String split, Path root) {
        Source(DataId data, String split, DataDir dir) {
            this(data, split, dir.root().toAbsolutePath().normalize());
        }
    }
    private static final Map<String, Integrity> CHECKSUMS = new ConcurrentHashMap<>(); // dataset@root → integrity
    private static final Map<String, String> FINGERPRINTS = new ConcurrentHashMap<>(); // dataset@root → fingerprint

    private Data() {}

    /** The data of a cell trained by {@code p} with {@code seed}; MR needs the recipe's held-out fold. */
    public static Prepared prepare(Recipe p, DataDir dir, long seed) {
        if (p.data() == DataId.MR && p.fold() == 0) {
            throw new IllegalArgumentException(p.data().column() + " is cross-validated: a cell needs a fold 1.." + Recipe.MR_FOLDS
                    + ", got 0 (a table entry trains one cell per fold)");
        }
        RandomStream root = RandomStream.root(seed).child("data");
        return switch (p.data()) {
            case CIFAR10, CIFAR100, TINY_IMAGENET -> images(p, dir, root);
            case MR, AG_NEWS, YELP_FULL -> text(p, dir, root, p.fold());
        };
    }

    private record ImageSplits(ImageSet train, ImageSet eval, String split) {}

    private static Prepared images(Recipe p, DataDir dir, RandomStream root) {
        ImageSplits s = IMAGES.computeIfAbsent(new Source(p.data(), "train+eval", dir), k -> loadImages(p.data(), dir));
        ImageSet train = p.trainPerClass() == 0 ? s.train()
                : s.train().subset(s.train().name() + "-sub", Subsets.firstPerClass(s.train().labels(), s.train().classes(), p.trainPerClass()));
        ImageSet eval = p.evalPerClass() == 0 ? s.eval()
                : s.eval().subset(s.eval().name() + "-sub", Subsets.firstPerClass(s.eval().labels(), s.eval().classes(), p.evalPerClass()));
        ChannelStats stats = ChannelStats.of(train);
        Augmentation augment = new Augmentation(p.cropPadding(), true, stats);
        BatchStream trainStream = new BatchLoader(new ImageExamples(train, augment), p.batchSize(), BatchLoader.Order.SHUFFLE,
                BatchLoader.Remainder.KEEP, root, 4);
        BatchStream evalStream = new BatchLoader(new ImageExamples(eval, Augmentation.none(stats)), 100,
                BatchLoader.Order.SEQUENTIAL, BatchLoader.Remainder.KEEP, root.child("eval"), 2);
        String desc = String.format(java.util.Locale.ROOT, "%s: train %,d images (%s), evaluation %,d images of the %s; %s",
                p.data().column(), train.size(), p.trainPerClass() == 0 ? "all" : p.trainPerClass() + " per class, the first of each class",
                eval.size(), s.split(), "normalised with the training subset's " + stats);
        String partial = null;
        if (p.data() == DataId.TINY_IMAGENET && s.train().size() < TINY_IMAGENET_TRAIN_PER_CLASS * s.train().classes()) {
            partial = String.format(java.util.Locale.ROOT, "the data directory holds %,d Tiny ImageNet training images (%d per class) of"
                    + " the %,d of the full split", s.train().size(), s.train().size() / s.train().classes(),
                    TINY_IMAGENET_TRAIN_PER_CLASS * s.train().classes());
        }
        return new Prepared(trainStream, evalStream, train.classes(), new long[] {train.channels(), train.height(), train.width()}, desc,
                partial);
    }

    private static ImageSplits loadImages(DataId id, DataDir dir) {
        requirePresent(id, dir);
        return switch (id) {
            case CIFAR10 -> {
                Cifar.Splits c = Cifar.cifar10(dir, false);
                yield new ImageSplits(c.train(), c.test(), "official test split");
            }
            case CIFAR100 -> {
                Cifar.Splits c = Cifar.cifar100(dir, Cifar.Labels.FINE, false);
                yield new ImageSplits(c.train(), c.test(), "official test split");
            }
            default -> {
                TinyImageNet.Splits t = TinyImageNet.load(dir, false);
                yield new ImageSplits(t.train(), t.val(), "official validation split (the test labels are not public)");
            }
        };
    }

    private static Prepared text(Recipe p, DataDir dir, RandomStream root, int mrFold) {
        requirePresent(p.data(), dir);
        TextSet train;
        TextSet eval;
        String split;
        String partial = null;
        switch (p.data()) {
            case MR -> {
                TextSet all = TEXTS.computeIfAbsent(new Source(DataId.MR, "all", dir), k -> TextFiles.mr(dir, false));
                List<Subsets.Split> folds = Subsets.kFold(all.size(), Recipe.MR_FOLDS, RandomStream.root(2020).child("mr-folds"));
                train = all.subset("mr-train", folds.get(mrFold - 1).train());
                eval = all.subset("mr-test", folds.get(mrFold - 1).heldOut());
                split = "10-fold cross-validation (fixed partition, seed 2020), fold " + mrFold + " of " + Recipe.MR_FOLDS + " held out";
            }
            case AG_NEWS -> {
                Path folder = Downloads.locate(Dataset.AG_NEWS, dir, false);
                TextSet test = TEXTS.computeIfAbsent(new Source(DataId.AG_NEWS, "test", dir), k -> TextFiles.zhangCsv(dir, Dataset.AG_NEWS, "test", false));
                if (Files.exists(folder.resolve("train.csv"))) {
                    train = TEXTS.computeIfAbsent(new Source(DataId.AG_NEWS, "train", dir), k -> TextFiles.zhangCsv(dir, Dataset.AG_NEWS, "train", false));
                    eval = test;
                    split = "official train/test splits";
                } else {
                    Subsets.Split s = Subsets.stratifiedHoldOut(test.labels(), test.classes(), 0.2, RandomStream.root(2020).child("ag-holdout"));
                    train = test.subset("ag-test-as-train", s.train());
                    eval = test.subset("ag-test-held-out", s.heldOut());
                    split = "only the official TEST split is available: 80% of it trains and a stratified 20% (seed 2020) evaluates";
                    partial = "the data directory holds only AG's News's official test split (no train.csv)";
                }
            }
            default -> {
                train = TEXTS.computeIfAbsent(new Source(DataId.YELP_FULL, "train", dir), k -> TextFiles.zhangCsv(dir, Dataset.YELP_FULL, "train", false));
                eval = TEXTS.computeIfAbsent(new Source(DataId.YELP_FULL, "test", dir), k -> TextFiles.zhangCsv(dir, Dataset.YELP_FULL, "test", false));
                split = "official train/test splits";
            }
        }
        if (p.trainPerClass() > 0) {
            train = train.subset(train.name() + "-sub", Subsets.firstPerClass(train.labels(), train.classes(), p.trainPerClass()));
        }
        if (p.evalPerClass() > 0) {
            eval = eval.subset(eval.name() + "-sub", Subsets.firstPerClass(eval.labels(), eval.classes(), p.evalPerClass()));
        }
        TextNormaliser normaliser = TextNormaliser.ascii();
        CharQuantizer q = new CharQuantizer(p.alphabet(), p.frame());
        ExampleSource trainSource = new TextExamples(train, normaliser, q);
        ExampleSource evalSource = new TextExamples(eval, normaliser, q);
        String desc = String.format(java.util.Locale.ROOT, "%s: train %,d texts, evaluation %,d texts; %s; normalisation: %s;"
                + " alphabet %s, frame %d", p.data().column(), train.size(), eval.size(), split, normaliser.describe(),
                q.alphabet(), q.length());
        return new Prepared(new BatchLoader(trainSource, p.batchSize(), BatchLoader.Order.SHUFFLE, BatchLoader.Remainder.KEEP, root, 4),
                new BatchLoader(evalSource, 100, BatchLoader.Order.SEQUENTIAL, BatchLoader.Remainder.KEEP, root.child("eval"), 2),
                train.classes(), trainSource.exampleShape(), desc, partial);
    }

    /** Whether the data directory holds the dataset's folder at all (its files are checked when a cell loads them). */
    static boolean present(DataId id, DataDir dir) {
        return dir.find(id.dataset().folders().toArray(String[]::new)).isPresent();
    }

    /** What a cell of {@code id} says when its data is not in {@code dir}: where it looked, and where the data comes from. */
    static String absence(DataId id, DataDir dir) {
        return id.column() + " is not in the data directory " + dir.describe() + " (looked for "
                + String.join(", ", id.dataset().folders()) + "; source: " + id.dataset().downloads().get(0).url() + ")";
    }

    private static void requirePresent(DataId id, DataDir dir) {
        if (!present(id, dir)) {
            throw new NotAvailable(absence(id, dir));
        }
    }

    /**
     * How a dataset's files compare with their published checksums: {@code modified} when any file
     * (or archive) differs; the description names what was checked, for provenance.
     */
    record Integrity(boolean modified, String description) {}

    /** Published-checksum status of a dataset's files ("md5 = published (6 files)", "absent", or the mismatch). */
    static String checksumStatus(Dataset d, DataDir dir) {
        return integrity(d, dir).description();
    }

    /**
     * A SHA-256 over every file of the dataset's folder (relative path, size and content), or
     * "absent": what a result was trained on, checked before a stored result is reused.
     */
    static String fingerprint(Dataset d, DataDir dir) {
        return FINGERPRINTS.computeIfAbsent(d + "@" + dir.root().toAbsolutePath().normalize(), k -> {
            var folder = dir.find(d.folders().toArray(String[]::new));
            if (folder.isEmpty()) {
                return "absent";
            }
            try (java.util.stream.Stream<Path> walk = Files.walk(folder.get())) {
                java.security.MessageDigest all = java.security.MessageDigest.getInstance("SHA-256");
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    all.update(folder.get().relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    all.update(Checksums.digest(f, "SHA-256").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                return "sha256:" + java.util.HexFormat.of().formatHex(all.digest());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + folder.get() + " to fingerprint " + d.title(), e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Integrity integrity(Dataset d, DataDir dir) {
        return CHECKSUMS.computeIfAbsent(d + "@" + dir.root().toAbsolutePath().normalize(), k -> {
            var folder = dir.find(d.folders().toArray(String[]::new));
            if (folder.isEmpty()) {
                return new Integrity(false, "absent");
            }
            Map<String, Integer> ok = new LinkedHashMap<>();
            int unpublished = 0;
            try {
                for (Dataset.DataFile f : d.files()) {
                    Path file = folder.get().resolve(f.path());
                    if (!Files.exists(file)) {
                        continue;
                    }
                    if (f.checksum() == null) {
                        unpublished++;
                        continue;
                    }
                    Checksums.verify(file, f.checksum());
                    ok.merge(f.checksum().algorithm().toLowerCase(java.util.Locale.ROOT).replace("-", ""), 1, Integer::sum);
                }
                for (Dataset.Download dl : d.downloads()) {
                    Path archive = folder.get().resolve(Path.of(dl.saveAs()).getFileName().toString());
                    if (dl.archive() && Files.exists(archive)) {
                        Checksums.verify(archive, dl.checksum());
                        ok.merge(archive.getFileName() + " " + dl.checksum().algorithm().toLowerCase(java.util.Locale.ROOT).replace("-", ""),
                                1, Integer::sum);
                    }
                }
            } catch (DataFormatException e) {
                return new Integrity(true, "CHECKSUM MISMATCH: " + e.getMessage());
            }
            StringBuilder s = new StringBuilder(dir.describe(folder.get())).append(": ");
            ok.forEach((alg, n) -> s.append(alg).append(" = published (").append(n).append(" file").append(n > 1 ? "s" : "").append("); "));
            if (unpublished > 0) {
                s.append(unpublished).append(" file(s) without a published per-file checksum");
            }
            return new Integrity(false, s.toString().replaceAll("; $", ""));
        });
    }
}
