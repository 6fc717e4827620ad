/**
 * {@code perf kvm stat report} computed from the kvm tracepoints of a run: the pairing rules of
 * tools/perf/arch/x86/util/kvm-stat.c (exit to entry per vCPU; kvm_pio and kvm_mmio for the IO
 * analyses) and the arithmetic and layout of tools/perf/builtin-kvm.c and tools/perf/util/stat.c.
 */
package dev.kvmsim.cli.stat;
