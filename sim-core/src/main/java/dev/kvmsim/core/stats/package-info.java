/**
 * Run statistics: named counters and HdrHistogram-backed latency recorders, iterated in
 * sorted name order for deterministic reports.
 */
package dev.kvmsim.core.stats;
