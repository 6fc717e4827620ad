package dev.kvmsim.scenarios.model;

/**
 * An expected value: {@code == 3}, {@code >= 1}, {@code < 20us}. A bare number means
 * {@code ==}. Values are compared as unsigned 64-bit, so an eventfd counter of
 * 0xFFFFFFFFFFFFFFFE (ULLONG_MAX-1, reachable with write(2)) can be expected.
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
            case GE -> Long.compareUnsigned(actual, value) >= 0;
            case LE -> Long.compareUnsigned(actual, value) <= 0;
            case GT -> Long.compareUnsigned(actual, value) > 0;
            case LT -> Long.compareUnsigned(actual, value) < 0;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
