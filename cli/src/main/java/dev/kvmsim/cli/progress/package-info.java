/** The progress line of a long run on a terminal's standard error. */
package dev.kvmsim.cli.progress;
