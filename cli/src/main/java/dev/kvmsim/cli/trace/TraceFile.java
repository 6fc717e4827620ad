package dev.kvmsim.cli.trace;

import dev.kvmsim.cli.io.OutputFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trace file that is complete or absent: text is written to {@code FILE.tmp} through a
 * {@link BufferedWriter} and renamed to {@code FILE} on {@link #close()}. A JVM shutdown hook
 * (Ctrl-C, SIGTERM) runs the owner's closing action, so an interrupted run still leaves a
 * valid, complete file (a JSON array closed, every buffered line flushed).
 *
 * <p>Thread-safety: the simulation thread writes and the shutdown hook may close at the same
 * time; every method is synchronized on this object and writes after close are dropped.
 */
public final class TraceFile implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final BufferedWriter out;
    private final Thread hook;
    private Runnable beforeClose = () -> { };
    private boolean closed;

    private TraceFile(Path target) throws IOException {
        this.target = target;
        this.tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        this.hook = new Thread(this::closeFromHook, "kvmsim-trace-close");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Opens {@code FILE.tmp} for writing; the file appears as {@code target} when closed. */
    public static TraceFile open(Path target) {
        try {
            return new TraceFile(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace file " + target + ": " + e.getMessage(), e);
        }
    }

    /** The action run once, just before the file is closed (writes a footer, closes a JSON array). */
    public synchronized void onClose(Runnable footer) {
        this.beforeClose = footer;
    }

    /** Writes {@code s} whole (the shutdown hook never closes the file half-way through it); dropped after close. */
    public synchronized void write(String s) {
        if (closed) {
            return;
        }
        try {
            out.write(s);
        } catch (IOException e) {
            throw fail("cannot write trace file " + target, e);
        }
    }

    /** Gives up on the file after a write failed: closes and removes the temporary; the error says so. */
    private UncheckedIOException fail(String what, IOException e) {
        closed = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is being dropped; its first error is the one reported
        }
        return new UncheckedIOException(what + ": " + e.getMessage() + OutputFiles.removeQuietly(tmp), e);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public Path target() {
        return target;
    }

    /** Writes the footer, flushes, closes and renames {@code FILE.tmp} to {@code FILE}. Idempotent. */
    @Override
    public void close() {
        finish();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook is running or has run; nothing to remove
        }
    }

    private void closeFromHook() {
        finish();
    }

    private synchronized void finish() {
        if (closed) {
            return;
        }
        beforeClose.run(); // a write that fails here drops the file (write) and throws
        try {
            out.close();
            moveIntoPlace();
            closed = true;
        } catch (IOException e) {
            throw fail("cannot finish trace file " + target, e);
        }
    }

    private void moveIntoPlace() throws IOException {
        OutputFiles.moveIntoPlace(tmp, target);
    }
}
