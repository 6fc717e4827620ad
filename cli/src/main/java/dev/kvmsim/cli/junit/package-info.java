/** JUnit XML reports in the Ant / Maven Surefire format, for CI systems that run {@code kvmsim check}. */
package dev.kvmsim.cli.junit;
