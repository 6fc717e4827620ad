/** {@code kvmsim sweep}: the local grid runner and its CSV and HTML outputs. */
package dev.kvmsim.cli.sweep;
