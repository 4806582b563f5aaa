package org.convrelu.reports;

import java.util.List;
import java.util.Map;

/**
 * Where a report's numbers come from: the command, scale, code version, date, runtime, ND4J
 * backend, dataset checksums, seeds, and per op kind the implementations that computed them
 * (e.g. {@code convrelu → direct}; empty where the report trained nothing).
 */
public record Provenance(String command, String scale, String gitCommit, String date, String jvm, String backend,
        Map<String, String> dataChecksums, List<Long> seeds, Map<String, String> implementations) {

    public Provenance {
        dataChecksums = Map.copyOf(dataChecksums);
        seeds = List.copyOf(seeds);
        implementations = Map.copyOf(implementations);
    }
}
