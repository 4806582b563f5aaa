package org.convrelu.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The numbers Gao, Cai and Ji (AAAI 2020) publish in Tables 1–6, transcribed from the paper into
 * {@code published.csv} ({@code table,row,column,metric,published}).
 */
public final class Published {
    private static final Map<String, Double> VALUES = load();

    private Published() {}

    /** The published figure of a cell, if the paper gives one. */
    public static Optional<Double> value(String table, String row, String column) {
        return Optional.ofNullable(VALUES.get(key(table, row, column)));
    }

    /** Every published cell of a table as {@code row|column → value}, in the paper's order. */
    public static Map<String, Double> table(String table) {
        Map<String, Double> out = new LinkedHashMap<>();
        VALUES.forEach((k, v) -> {
            if (k.startsWith(table + "|")) {
                out.put(k.substring(table.length() + 1), v);
            }
        });
        return out;
    }

    private static String key(String table, String row, String column) {
        return table + "|" + row + "|" + column;
    }

    private static Map<String, Double> load() {
        Map<String, Double> values = new LinkedHashMap<>();
        try (InputStream in = Published.class.getResourceAsStream("published.csv")) {
            if (in == null) {
                throw new IllegalStateException("published.csv is missing from the reports module");
            }
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                values.put(key(r.get("table"), r.get("row"), r.get("column")), Double.parseDouble(r.get("published")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
