package org.convrelu.experiments.cluster;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.convrelu.experiments.run.CellResult;
import org.convrelu.experiments.run.CellStatus;

/**
 * How far a set of cell runs has come, and how long the rest will take: the cells left times the
 * mean training time measured on the finished cells of the same entry (else of the same data and
 * network), as one worker would take them one after another.
 */
public final class CampaignEstimate {
    private final Map<Grid.Task, CellStatus> states;
    private final Map<Grid.Task, Double> secondsLeft = new HashMap<>(); // runs not done → estimated seconds (NaN: no measurement)

    private CampaignEstimate(Map<Grid.Task, CellStatus> states) {
        this.states = states;
    }

    public static CampaignEstimate of(Map<Grid.Task, CellStatus> states) {
        CampaignEstimate e = new CampaignEstimate(states);
        Map<String, double[]> byEntry = new HashMap<>(); // table|entry → [seconds, count] of its finished runs
        Map<String, double[]> byColumn = new HashMap<>(); // data|network → the same
        states.forEach((run, st) -> {
            CellResult r = st.result(); // read and verified once, by CellStatus
            if (r != null && r.seconds() > 0) {
                add(byEntry, run.table() + "|" + run.entry(), r.seconds());
                add(byColumn, column(run), r.seconds());
            }
        });
        states.forEach((run, st) -> {
            if (st.state() != CellStatus.State.DONE && st.state() != CellStatus.State.NO_DATA) {
                double[] m = byEntry.getOrDefault(run.table() + "|" + run.entry(), byColumn.get(column(run)));
                e.secondsLeft.put(run, m == null ? Double.NaN : m[0] / m[1]);
            }
        });
        return e;
    }

    /** One table's line ({@code table} null: all of them): counts per state, and the hours left. */
    public String summary(String table) {
        List<Map.Entry<Grid.Task, CellStatus>> runs = states.entrySet().stream()
                .filter(e -> table == null || e.getKey().table().equals(table)).toList();
        Map<CellStatus.State, Integer> counts = new EnumMap<>(CellStatus.State.class);
        runs.forEach(e -> counts.merge(e.getValue().state(), 1, Integer::sum));
        String states = counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
        double seconds = 0;
        long unknown = 0;
        long left = 0;
        for (Map.Entry<Grid.Task, CellStatus> e : runs) {
            Double s = secondsLeft.get(e.getKey());
            if (s != null) {
                left++;
                if (s.isNaN()) {
                    unknown++;
                } else {
                    seconds += s;
                }
            }
        }
        String eta = left == 0 ? "nothing left to train"
                : unknown == left ? left + " left, none of them timed yet (no finished cell of the same entry, data and network)"
                : String.format(Locale.ROOT, "%d left, about %.1f h of training at the measured cell times, one cell at a time%s", left,
                        seconds / 3600, unknown == 0 ? "" : " (" + unknown + " without a finished cell to time them by, not counted)");
        return runs.size() + " cell run(s): " + states + "; " + eta;
    }

    private static String column(Grid.Task run) {
        return run.cell().data() + "|" + run.cell().arch();
    }

    private static void add(Map<String, double[]> sums, String key, double seconds) {
        double[] s = sums.computeIfAbsent(key, k -> new double[2]);
        s[0] += seconds;
        s[1]++;
    }
}
