package dev.kvmsim.harness.results;

/** A results file that does not follow the format: the message names the file and line. */
public final class ResultsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ResultsFormatException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }
}
