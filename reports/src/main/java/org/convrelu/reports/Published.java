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
 * {@code published.csv} ({@code table,row_id,column_id,row,column,metric,published}). Figures are
 * looked up by identifiers ({@code convrelu}, {@code cifar100}); {@code row} and {@code column}
 * keep the paper's labels beside them for the reader.
 */
public final class Published {
    private static final Map<String, Double> VALUES = load();

    private Published() {}

    /** The published figure of a cell, by the identifiers of its row and column, if the paper gives one. */
    public static Optional<Double> value(String table, String rowId, String columnId) {
        return Optional.ofNullable(VALUES.get(key(table, rowId, columnId)));
    }

    /** Every published cell of a table as {@code rowId|columnId → value}, in the paper's order. */
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
                values.put(key(r.get("table"), r.get("row_id"), r.get("column_id")), Double.parseDouble(r.get("published")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
