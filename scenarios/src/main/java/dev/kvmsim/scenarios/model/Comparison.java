package dev.kvmsim.scenarios.model;

/**
 * An expected value: {@code == 3}, {@code >= 1}, {@code < 20us}. A bare number means
 * {@code ==}. Values are compared as signed 64-bit (counts and nanoseconds fit).
 *
 * @param text  as written, for reports
 */
public record Comparison(Op op, long value, String text) {

    public enum Op {
        EQ("=="), NE("!="), GE(">="), LE("<="), GT(">"), LT("<");

        private final String symbol;

        Op(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }

    public boolean test(long actual) {
        return switch (op) {
            case EQ -> actual == value;
            case NE -> actual != value;
            case GE -> actual >= value;
            case LE -> actual <= value;
            case GT -> actual > value;
            case LT -> actual < value;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
