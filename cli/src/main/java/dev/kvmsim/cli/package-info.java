/**
 * The {@code kvmsim} command line (picocli): {@link dev.kvmsim.cli.Main} wires the commands of
 * {@code dev.kvmsim.cli.commands}, the exit codes of {@link dev.kvmsim.cli.ExitCode} and the error
 * handling (one line per error, stack traces only with {@code --debug}). The CLI only parses
 * arguments, calls the scenarios module and renders; it holds no simulation logic.
 */
package dev.kvmsim.cli;
