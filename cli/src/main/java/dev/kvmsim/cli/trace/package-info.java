/**
 * Trace sinks that stream a run's trace events to a file with bounded memory: the
 * {@code trace-cmd report} text of the kernel tracepoints, Chrome Trace Event JSON with tracks
 * and causal flow arrows, and JSON lines. {@link dev.kvmsim.cli.trace.TraceFile} makes every file
 * complete or absent (FILE.tmp renamed on close, also from a shutdown hook on Ctrl-C).
 */
package dev.kvmsim.cli.trace;
