package org.convrelu.datasets;

import java.util.List;
import org.convrelu.datasets.Checksums.Expected;

/**
 * The paper's six datasets: where their files sit under the data root, the checksums their
 * publishers give, and where to download them.
 */
public enum Dataset {
    CIFAR10("CIFAR-10", List.of("cifar-10-batches-bin", "cifar10/cifar-10-batches-bin"),
            List.of(file("data_batch_1.bin", Expected.md5("5dd7e06a14cb22eb9f671a540d1b7c25")),
                    file("data_batch_2.bin", Expected.md5("5ea93a67294ea407fff1d09f752e9692")),
                    file("data_batch_3.bin", Expected.md5("942cd6a4bcdd0dd3c604fbe906cb4421")),
                    file("data_batch_4.bin", Expected.md5("ae636b3ba5c66a11e91e8cb52e771fcb")),
                    file("data_batch_5.bin", Expected.md5("53f37980c15c3d472c316c40844f3f0d")),
                    file("test_batch.bin", Expected.md5("803d5f7f4d78ea53de84dbe85f74fb6d"))),
            List.of(new Download("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", "cifar-10-binary.tar.gz",
                    Expected.md5("c32a1d4ab5d03f1284b67883e8d87530"), true))),
    CIFAR100("CIFAR-100", List.of("cifar-100-binary", "cifar100/cifar-100-binary"),
            List.of(file("train.bin", null), file("test.bin", null)),
            List.of(new Download("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz", "cifar-100-binary.tar.gz",
                    Expected.md5("03b5dce01913d631647c71ecec9e9cb8"), true))),
    TINY_IMAGENET("Tiny ImageNet", List.of("tiny-imagenet-200", "tiny-imagenet/tiny-imagenet-200"),
            List.of(file("wnids.txt", null), file("val/val_annotations.txt", null)),
            List.of(new Download("http://cs231n.stanford.edu/tiny-imagenet-200.zip", "tiny-imagenet-200.zip",
                    Expected.md5("90528d7ca1a48142e341f4ef8d21d0de"), true))),
    MR("MR (rt-polarity)", List.of("rt-polaritydata", "mr"),
            List.of(file("rt-polarity.pos", null), file("rt-polarity.neg", null)),
            List.of(new Download("https://www.cs.cornell.edu/people/pabo/movie-review-data/rt-polaritydata.tar.gz",
                    "rt-polaritydata.tar.gz",
                    Expected.sha256("a05befe52aafda71d458d188a1c54506a998b1308613ba76bbda2e5029409ce9"), true))),
    AG_NEWS("AG's News", List.of("ag_news_csv", "ag_news"),
            List.of(file("train.csv", Expected.md5("b1a00f826fdfbd249f79597b59e1dc12")),
                    file("test.csv", Expected.md5("d52ea96a97a2d943681189a97654912d"))),
            List.of(new Download("https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/train.csv",
                            "ag_news_csv/train.csv", Expected.md5("b1a00f826fdfbd249f79597b59e1dc12"), false),
                    new Download("https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/test.csv",
                            "ag_news_csv/test.csv", Expected.md5("d52ea96a97a2d943681189a97654912d"), false))),
    YELP_FULL("Yelp Review Full", List.of("yelp_review_full_csv", "yelp_full"),
            List.of(file("train.csv", null), file("test.csv", null)),
            List.of(new Download("https://drive.google.com/uc?export=download&id=0Bz8a_Dbh9QhbZlU4dXhHTFhZQU0",
                    "yelp_review_full_csv.tar.gz", Expected.md5("f7ddfafed1033f68ec72b9267863af6c"), true)));

    /** A file of the dataset, relative to its folder, with its published checksum (null where none is published). */
    public record DataFile(String path, Expected checksum) {}

    /**
     * A download: its address, the name it is saved under (relative to the data root), the
     * published checksum, and whether it is an archive to unpack into the data root.
     */
    public record Download(String url, String saveAs, Expected checksum, boolean archive) {}

    private final String title;
    private final List<String> folders;
    private final List<DataFile> files;
    private final List<Download> downloads;

    Dataset(String title, List<String> folders, List<DataFile> files, List<Download> downloads) {
        this.title = title;
        this.folders = folders;
        this.files = files;
        this.downloads = downloads;
    }

    private static DataFile file(String path, Expected checksum) {
        return new DataFile(path, checksum);
    }

    public String title() {
        return title;
    }

    /** Folder names under the data root, the distributed name first. */
    public List<String> folders() {
        return folders;
    }

    /** Files that must be present; some with a published checksum. */
    public List<DataFile> files() {
        return files;
    }

    public List<Download> downloads() {
        return downloads;
    }
}
