/** Engine benchmarks that run from the command line ({@code kvmsim bench}) as well as from JMH. */
package dev.kvmsim.core.bench;
