package org.convrelu.datasets.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.DataFormatException;
import org.convrelu.datasets.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyImageNetTest {
    @TempDir
    Path tmp;

    @Test
    void realValidationSplitHas50ImagesPerClassAllRgb64() {
        TinyImageNet.Splits s = TinyImageNet.load(RealData.dir(), false);
        assertThat(s.val().size()).isEqualTo(10_000);
        assertThat(s.val().classCounts()).hasSize(200).containsOnly(50);
        assertThat(s.val().channels()).isEqualTo(3);
        assertThat(s.val().height()).isEqualTo(64);
        assertThat(s.val().width()).isEqualTo(64);
        assertThat(s.train().size()).isEqualTo(2_000);
        assertThat(s.train().classCounts()).containsOnly(10);
        // Greyscale originals load as three equal channels: some images must be exactly grey.
        int grey = 0;
        ImageSet all = s.train().concat("all", s.val());
        for (int i = 0; i < all.size(); i++) {
            if (isGrey(all, i)) {
                grey++;
            }
        }
        // 205 JPEGs are single-channel; a few colour JPEGs are grey as well.
        assertThat(grey).isGreaterThanOrEqualTo(205);
    }

    private static boolean isGrey(ImageSet set, int i) {
        int plane = 64 * 64;
        int base = i * set.imageSize();
        for (int p = 0; p < plane; p++) {
            byte r = set.pixels()[base + p];
            if (r != set.pixels()[base + plane + p] || r != set.pixels()[base + 2 * plane + p]) {
                return false;
            }
        }
        return true;
    }

    private static void jpeg(Path file, int type, int value) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(64, 64, type);
        var g = img.createGraphics();
        g.setColor(new java.awt.Color(value, value / 2, 255 - value));
        g.fillRect(0, 0, 64, 64);
        g.dispose();
        ImageIO.write(img, "jpg", file.toFile());
    }

    private Path layout() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tiny-imagenet-200"));
        Files.writeString(root.resolve("wnids.txt"), "n01443537\nn01629819\n");
        jpeg(root.resolve("train/n01443537/images/n01443537_0.JPEG"), BufferedImage.TYPE_INT_RGB, 200);
        jpeg(root.resolve("train/n01443537/images/n01443537_1.JPEG"), BufferedImage.TYPE_BYTE_GRAY, 90);
        jpeg(root.resolve("train/n01629819/images/n01629819_0.JPEG"), BufferedImage.TYPE_INT_RGB, 30);
        jpeg(root.resolve("val/images/val_0.JPEG"), BufferedImage.TYPE_INT_RGB, 10);
        jpeg(root.resolve("val/images/val_1.JPEG"), BufferedImage.TYPE_INT_RGB, 240);
        Files.writeString(root.resolve("val/val_annotations.txt"),
                "val_0.JPEG\tn01629819\t0\t0\t63\t63\nval_1.JPEG\tn01443537\t1\t2\t30\t40\n");
        return root;
    }

    @Test
    void generatedLayoutLoadsWithLabelsFromWnidsOrder() throws IOException {
        layout();
        TinyImageNet.Splits s = TinyImageNet.load(new DataDir(tmp), false);
        assertThat(s.train().labels()).containsExactly(0, 0, 1);
        assertThat(s.val().labels()).containsExactly(1, 0);
        assertThat(isGrey(s.train(), 1)).isTrue();
        assertThat(isGrey(s.train(), 0)).isFalse();
    }

    @Test
    void corruptJpegIsAnErrorNamingTheFile() throws IOException {
        Path root = layout();
        Path bad = root.resolve("train/n01629819/images/n01629819_0.JPEG");
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(bytes, 40));
        assertThatThrownBy(() -> TinyImageNet.load(new DataDir(tmp), false))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(bad.toString());
    }

    @Test
    void missingAnnotationEntryNamesTheImage() throws IOException {
        Path root = layout();
        Files.writeString(root.resolve("val/val_annotations.txt"), "val_0.JPEG\tn01629819\t0\t0\t63\t63\n");
        assertThatThrownBy(() -> TinyImageNet.load(new DataDir(tmp), false))
                .hasMessageContaining("val_annotations.txt")
                .hasMessageContaining("an entry for val_1.JPEG");
    }

    @Test
    void unknownClassInAnnotationsNamesTheLine() throws IOException {
        Path root = layout();
        Files.writeString(root.resolve("val/val_annotations.txt"), "val_0.JPEG\tn99999999\t0\t0\t63\t63\n");
        assertThatThrownBy(() -> TinyImageNet.load(new DataDir(tmp), false))
                .hasMessageContaining("line 1").hasMessageContaining("n99999999");
    }

    @Test
    void wrongImageSizeIsAnError() throws IOException {
        Path root = layout();
        Path f = root.resolve("val/images/val_0.JPEG");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "jpg", f.toFile());
        assertThatThrownBy(() -> TinyImageNet.load(new DataDir(tmp), false))
                .hasMessageContaining(f.toString()).hasMessageContaining("64×64").hasMessageContaining("32×32");
    }
}
