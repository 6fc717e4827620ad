package dev.kvmsim.scenarios;

/**
 * One problem found while loading a scenario: where ({@code file:line:col}), which field
 * ({@code host[3].ioeventfd.eventfd}) and what was expected. Line and column are 1-based;
 * 0 when the problem has no place (a file that cannot be read).
 */
public record ScenarioError(String file, int line, int column, String path, String message) {

    /** {@code file:line:col: path: message} (without the parts that are absent). */
    public String render() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
