/**
 * The discrete-event engine: a nanosecond clock, a primitive-keyed event queue, named random
 * streams, duration and distribution parsing, tracing and statistics. Knows nothing of KVM.
 */
package dev.kvmsim.core;
