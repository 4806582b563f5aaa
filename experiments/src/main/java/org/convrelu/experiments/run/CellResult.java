package org.convrelu.experiments.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.convrelu.experiments.recipe.Cell;
import org.convrelu.nn.train.EpochMetrics;
import org.convrelu.nn.train.SiteStats;

/**
 * What a cell produced: its configuration, the data and model it actually used, the final
 * evaluation top-1 (%, last epoch; nothing is selected on the evaluation split), per-epoch metrics,
 * activation statistics, the learned thresholds, the time it took, and per op kind the
 * implementations that trained it ({@code {"convrelu": ["direct"], ...}}). {@code status} is
 * {@code ok} or {@code not_run} (with {@code reason}); {@code modifiedData} says it trained on data
 * that differs from the published files ({@code --allow-modified-data}); {@code partialData} what
 * was missing of the official splits (null when whole); {@code dataFingerprint}
 * identifies the files it trained on; {@code commit} the code that trained it and {@code arithmetic}
 * what else fixed its sums ({@link Provenances#arithmetic}; each absent in results stored before it
 * was recorded). A stored result carries the SHA-256 of
 * everything else in it ({@code sha256}), and is used only if that and its cell match.
 */
public record CellResult(String key, String configuration, String status, String reason, Double top1, String data,
        String model, long parameters, List<String> replacedSites, List<EpochMetrics> epochs, List<SiteStats> sites,
        double[] thresholds, double seconds, String finishedAt, Map<String, List<String>> implementations, boolean modifiedData,
        String partialData, String dataFingerprint, @JsonInclude(JsonInclude.Include.NON_NULL) String commit,
        @JsonInclude(JsonInclude.Include.NON_NULL) String arithmetic, String sha256) {

    public static CellResult notRun(Cell cell, String reason) {
        return new CellResult(cell.key(), cell.canonical(), "not_run", reason, null, null, null, 0, List.of(), List.of(),
                List.of(), new double[0], 0, null, Map.of(), false, null, null, null, null, null);
    }

    public CellResult withSha256(String digest) {
        return new CellResult(key, configuration, status, reason, top1, data, model, parameters, replacedSites, epochs, sites,
                thresholds, seconds, finishedAt, implementations, modifiedData, partialData, dataFingerprint, commit, arithmetic, digest);
    }

    public boolean ok() {
        return "ok".equals(status);
    }
}
