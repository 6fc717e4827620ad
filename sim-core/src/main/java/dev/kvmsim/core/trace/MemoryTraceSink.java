package dev.kvmsim.core.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every trace event in memory, in emission order (tests, the narration, exporters). */
public final class MemoryTraceSink implements TraceSink {
    private final List<TraceEvent> events = new ArrayList<>();

    @Override
    public void accept(TraceEvent event) {
        events.add(event);
    }

    /** The events so far, in emission order (read-only view). */
    public List<TraceEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The events of one record type, in emission order. */
    public <T extends TraceEvent> List<T> eventsOf(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    public int size() { return events.size(); }

    public void clear() { events.clear(); }
}
