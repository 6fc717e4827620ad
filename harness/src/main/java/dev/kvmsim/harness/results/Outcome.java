package dev.kvmsim.harness.results;

/**
 * One observable outcome of a scenario run, as one line of a results file
 * ({@code docs/harness.md}): a {@code kind}, a {@code key} naming what was observed (unique
 * within a run) and its {@code value}.
 *
 * @param line  the line in its results file (0 for outcomes of the model)
 */
public record Outcome(Kind kind, String key, String value, int line) {

    /** The record kinds of a results file, by their first word. */
    public enum Kind {
        /** {@code step I ACTION RESULT}: a host step's result or errno ({@code not-run} when the run ended first). */
        STEP("step", null),
        /** {@code completion I RESULT}: how a step that blocked ended ({@code still-blocked}). */
        COMPLETION("completion", null),
        /** {@code check I WHAT = VALUE}: a value a {@code check} step read at its time. */
        CHECK("check", null),
        /** {@code write V I kernel K userspace U}: executions of guest write action I of vCPU V absorbed in the kernel / exited. */
        WRITE("write", null),
        /** {@code eventfd NAME counter N} (or {@code closed}: its descriptor was closed, the counter cannot be read). */
        EVENTFD("eventfd", null),
        /** {@code vcpu V vector 0xVV delivered N}: interrupts of that vector the guest took (absent: 0). */
        VECTOR("vcpu", "0"),
        /** {@code userspace_exit KIND 0xADDR LEN 0xDATA count N}: exits to the VMM of one access shape (absent: 0). */
        USERSPACE_EXIT("userspace_exit", "count 0"),
        /** {@code error MESSAGE}: the harness could not run the scenario to its end. */
        ERROR("error", null);

        private final String word;
        private final String absent;

        Kind(String word, String absent) {
            this.word = word;
            this.absent = absent;
        }

        /** The first word of the line. */
        public String word() { return word; }

        /** The value an absent line stands for ({@code 0} for counts), or null: absence is itself a difference. */
        public String absentValue() { return absent; }
    }

    /** The line as written in a results file. */
    public String render() {
        return switch (kind) {
            case CHECK -> key + " = " + value;
            case ERROR -> "error " + value;
            default -> key + " " + value;
        };
    }
}
