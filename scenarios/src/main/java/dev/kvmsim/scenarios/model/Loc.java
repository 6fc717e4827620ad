package dev.kvmsim.scenarios.model;

/** Where a value was written in its file: 1-based line and column. */
public record Loc(int line, int column) {
    /** For values that have no place in a file (defaults). */
    public static final Loc NONE = new Loc(0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
