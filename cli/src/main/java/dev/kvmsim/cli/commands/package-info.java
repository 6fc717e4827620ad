/**
 * The subcommands: run, check, explain, stat, list, validate, completion. Each has a picocli
 * footer with examples; the options that run a scenario (seed, time limit, cost profile) are the
 * {@link dev.kvmsim.cli.commands.RunSettings} mixin.
 */
package dev.kvmsim.cli.commands;
