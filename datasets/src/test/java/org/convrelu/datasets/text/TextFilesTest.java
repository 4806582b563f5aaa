package org.convrelu.datasets.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convrelu.datasets.DataDir;
import org.convrelu.datasets.DataFormatException;
import org.convrelu.datasets.Dataset;
import org.convrelu.datasets.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFilesTest {
    @TempDir
    Path tmp;

    @Test
    void realMrHas5331SentencesPerClass() {
        TextSet mr = TextFiles.mr(RealData.dir(), false);
        assertThat(mr.size()).isEqualTo(10_662);
        assertThat(mr.classCounts()).containsExactly(5_331, 5_331);
        assertThat(mr.texts().get(5_331)).startsWith("the rock is destined to be the 21st century's new");
    }

    @Test
    void realAgNewsTestSplitHas1900RowsPerClass() {
        TextSet ag = TextFiles.zhangCsv(RealData.dir(), Dataset.AG_NEWS, "test", false);
        assertThat(ag.size()).isEqualTo(7_600);
        assertThat(ag.classCounts()).containsExactly(1_900, 1_900, 1_900, 1_900);
        // Title and description joined by a space; class 3 in the file is label 2.
        assertThat(ag.texts().get(0)).startsWith("Fears for T N pension after talks Unions representing workers");
        assertThat(ag.labels()[0]).isEqualTo(2);
    }

    @Test
    void generatedYelpAndAgTrainFiles() throws IOException {
        Path yelp = Files.createDirectories(tmp.resolve("yelp_review_full_csv"));
        Files.writeString(yelp.resolve("train.csv"), "\"5\",\"Great \"\"tacos\"\".\\nWould return.\"\n\"1\",\"Awful.\"\n");
        TextSet y = TextFiles.zhangCsv(new DataDir(tmp), Dataset.YELP_FULL, "train", false);
        assertThat(y.labels()).containsExactly(4, 0);
        assertThat(y.classes()).isEqualTo(5);
        assertThat(y.texts().get(0)).isEqualTo("Great \"tacos\".\\nWould return.");

        Path ag = Files.createDirectories(tmp.resolve("ag_news_csv"));
        Files.writeString(ag.resolve("train.csv"), "\"2\",\"Title\",\"Body with, comma\"\n");
        TextSet a = TextFiles.zhangCsv(new DataDir(tmp), Dataset.AG_NEWS, "train", false);
        assertThat(a.texts()).containsExactly("Title Body with, comma");
        assertThat(a.labels()).containsExactly(1);
    }

    private Path csv(String body) throws IOException {
        return Files.writeString(tmp.resolve("bad.csv"), body);
    }

    @Test
    void anUnclosedQuoteNamesTheRecordAndTheLineItStartsOn() throws IOException {
        // record 1 on line 1, record 2 on lines 2-3 (a quoted newline), record 3 opens a quote on line 4 and never closes it
        Path f = csv("\"1\",\"fine\"\n\"2\",\"two\nlines\"\n\"3\",\"never closed\nmore text\n");
        assertThatThrownBy(() -> TextFiles.csv("x", f, TextFiles.CsvLayout.YELP_FULL))
                .isInstanceOf(org.convrelu.datasets.DataFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("record 3 (starting on line 4)");
        Path g = csv("\"1\",\"a\nb\"\n\"9\",\"out of range\"\n");
        assertThatThrownBy(() -> TextFiles.csv("x", g, TextFiles.CsvLayout.YELP_FULL)).hasMessageContaining("record 2 (starting on line 3)");
    }

    @Test
    void wrongFieldCountNamesTheRecord() throws IOException {
        Path f = csv("\"1\",\"a\",\"b\"\n\"2\",\"only title\"\n");
        assertThatThrownBy(() -> TextFiles.csv("x", f, TextFiles.CsvLayout.AG_NEWS))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("record 2")
                .hasMessageContaining("expected 3 fields, found 2 fields");
    }

    @Test
    void classOutsideTheRangeNamesTheRecord() throws IOException {
        Path f = csv("\"1\",\"fine\"\n\"6\",\"too many stars\"\n");
        assertThatThrownBy(() -> TextFiles.csv("x", f, TextFiles.CsvLayout.YELP_FULL))
                .hasMessageContaining("record 2").hasMessageContaining("a class in 1..5").hasMessageContaining("found 6");
        Path g = csv("\"0\",\"zero\"\n");
        assertThatThrownBy(() -> TextFiles.csv("x", g, TextFiles.CsvLayout.YELP_FULL)).hasMessageContaining("found 0");
    }

    @Test
    void emptyTextIsAnError() throws IOException {
        Path f = csv("\"3\",\" \"\n");
        assertThatThrownBy(() -> TextFiles.csv("x", f, TextFiles.CsvLayout.YELP_FULL))
                .hasMessageContaining("record 1").hasMessageContaining("non-empty text");
    }

    @Test
    void invalidUtf8NamesTheLineAndByte() throws IOException {
        byte[] good = "\"1\",\"fine\"\n\"2\",\"caf".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = (byte) 0xE9; // latin-1 é: invalid in UTF-8 here
        bytes[good.length + 1] = '"';
        bytes[good.length + 2] = '\n';
        Path f = Files.write(tmp.resolve("latin1.csv"), bytes);
        assertThatThrownBy(() -> TextFiles.csv("x", f, TextFiles.CsvLayout.YELP_FULL))
                .hasMessageContaining("line 2").hasMessageContaining("valid UTF-8").hasMessageContaining("byte 0xE9");
    }

    @Test
    void mrReadsLatin1AndRejectsEmptyLines() throws IOException {
        Path mr = Files.createDirectories(tmp.resolve("mr"));
        Files.write(mr.resolve("rt-polarity.pos"), new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', '\n', 'o', 'k', '\n'});
        Files.writeString(mr.resolve("rt-polarity.neg"), "bad\n");
        TextSet set = TextFiles.mr(new DataDir(tmp), false);
        assertThat(set.texts()).containsExactly("bad", "café", "ok");
        assertThat(set.labels()).containsExactly(0, 1, 1);
        Files.writeString(mr.resolve("rt-polarity.neg"), "bad\n\nworse\n");
        assertThatThrownBy(() -> TextFiles.mr(new DataDir(tmp), false))
                .hasMessageContaining("rt-polarity.neg").hasMessageContaining("line 2").hasMessageContaining("empty line");
    }
}
