package org.convrelu.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsAndDownloadsTest {
    @TempDir
    Path tmp;

    @Test
    void theRealCifar10FilesHaveTheirPublishedMd5s() {
        Path folder = Downloads.locate(Dataset.CIFAR10, RealData.dir(), false);
        for (Dataset.DataFile f : Dataset.CIFAR10.files()) {
            Checksums.verify(folder.resolve(f.path()), f.checksum());
        }
    }

    @Test
    void aMismatchNamesTheFileAndBothChecksums() throws IOException {
        Path f = Files.writeString(tmp.resolve("data_batch_1.bin"), "not cifar");
        assertThatThrownBy(() -> Checksums.verify(f, Checksums.Expected.md5("5dd7e06a14cb22eb9f671a540d1b7c25")))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("expected md5 5dd7e06a14cb22eb9f671a540d1b7c25")
                .hasMessageContaining("actual md5 " + Checksums.digest(f, "MD5"));
    }

    @Test
    void aMissingDatasetWithoutDownloadNamesTheFolderAndTheAddress() {
        DataDir empty = new DataDir(tmp);
        assertThatThrownBy(() -> Downloads.locate(Dataset.CIFAR100, empty, false))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(tmp.resolve("cifar-100-binary").toString())
                .hasMessageContaining("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz")
                .hasMessageContaining("md5 03b5dce01913d631647c71ecec9e9cb8");
    }

    @Test
    void aMissingFileOfAPresentDatasetNamesTheFile() throws IOException {
        Files.createDirectories(tmp.resolve("ag_news_csv"));
        assertThatThrownBy(() -> org.convrelu.datasets.text.TextFiles.zhangCsv(new DataDir(tmp), Dataset.AG_NEWS, "train", false))
                .hasMessageContaining(tmp.resolve("ag_news_csv/train.csv").toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void fetchVerifiesAndUnpacksATarGz() throws IOException {
        Path archive = tmp.resolve("source/cifar-100-binary.tar.gz");
        Files.createDirectories(archive.getParent());
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(archive)))) {
            byte[] body = "records".getBytes(StandardCharsets.US_ASCII);
            TarArchiveEntry e = new TarArchiveEntry("cifar-100-binary/train.bin");
            e.setSize(body.length);
            tar.putArchiveEntry(e);
            tar.write(body);
            tar.closeArchiveEntry();
        }
        String md5 = Checksums.digest(archive, "MD5");
        Path root = tmp.resolve("data");
        Downloads.fetch(new Dataset.Download(archive.toUri().toString(), "cifar-100-binary.tar.gz", Checksums.Expected.md5(md5), true), root);
        assertThat(root.resolve("cifar-100-binary/train.bin")).hasContent("records");
        assertThat(root.resolve("cifar-100-binary.tar.gz.part")).doesNotExist();

        Path other = tmp.resolve("other");
        assertThatThrownBy(() -> Downloads.fetch(new Dataset.Download(archive.toUri().toString(), "x.tar.gz",
                Checksums.Expected.md5("00000000000000000000000000000000"), true), other))
                .hasMessageContaining("checksum mismatch");
        assertThat(other.resolve("x.tar.gz")).doesNotExist();
    }

    @Test
    void unpackingAZipRefusesEntriesOutsideTheTarget() throws IOException {
        Path zip = tmp.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("../escape.txt"));
            out.write(1);
            out.closeEntry();
        }
        assertThatThrownBy(() -> Downloads.unpack(zip, tmp.resolve("into")))
                .hasMessageContaining("entry ../escape.txt").hasMessageContaining("outside");
        assertThat(tmp.resolve("escape.txt")).doesNotExist();

        Path good = tmp.resolve("good.zip");
        try (OutputStream f = Files.newOutputStream(good); ZipOutputStream out = new ZipOutputStream(f)) {
            out.putNextEntry(new ZipEntry("tiny-imagenet-200/wnids.txt"));
            out.write("n01443537\n".getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        Downloads.unpack(good, tmp.resolve("into"));
        assertThat(tmp.resolve("into/tiny-imagenet-200/wnids.txt")).hasContent("n01443537");
    }
}
