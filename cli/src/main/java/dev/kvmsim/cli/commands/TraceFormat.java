package dev.kvmsim.cli.commands;

/** The formats of {@code run --trace}. */
public enum TraceFormat {
    /** {@code trace-cmd report} text, tracepoints only. */
    ftrace("txt"),
    /** Chrome Trace Event JSON for Perfetto and chrome://tracing. */
    chrome("json"),
    /** One JSON object per event, every event. */
    jsonl("jsonl");

    final String extension;

    TraceFormat(String extension) {
        this.extension = extension;
    }

    /** The format a file name suggests: .json chrome, .jsonl jsonl, anything else ftrace. */
    static TraceFormat fromFileName(String name) {
        if (name.endsWith(".jsonl")) {
            return jsonl;
        }
        return name.endsWith(".json") ? chrome : ftrace;
    }
}
