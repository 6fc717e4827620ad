package dev.kvmsim.scenarios.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of one run of a sweep: the point, the seed it ran with, and every column of its
 * report ({@link dev.kvmsim.scenarios.ReportColumns}); or, when the overridden scenario does
 * not load, the reason (and no columns).
 */
public record SweepRow(SweepPoint point, long seed, LinkedHashMap<String, String> columns, String error) implements Serializable {
    public SweepRow {
        columns = new LinkedHashMap<>(columns);
    }

    public Map<String, String> columnsView() {
        return java.util.Collections.unmodifiableMap(columns);
    }
}
