package dev.kvmsim.scenarios.model;

/**
 * A descriptor named in a step: a declared eventfd, {@code @badfd} (not open) or
 * {@code @notevent} (open, but not an eventfd).
 */
public record FdRef(Kind kind, String name) {
    public static final String BADFD = "@badfd";
    public static final String NOTEVENT = "@notevent";

    public enum Kind { EVENTFD, BADFD, NOTEVENT }

    public static FdRef of(String name) {
        if (BADFD.equals(name)) {
            return new FdRef(Kind.BADFD, name);
        }
        if (NOTEVENT.equals(name)) {
            return new FdRef(Kind.NOTEVENT, name);
        }
        return new FdRef(Kind.EVENTFD, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
