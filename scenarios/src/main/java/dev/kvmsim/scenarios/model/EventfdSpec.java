package dev.kvmsim.scenarios.model;

/**
 * One entry of {@code eventfds:}: an eventfd2(initial, flags) made before the run.
 *
 * @param initial the initial counter (eventfd2 takes an unsigned int; larger values reach the syscall)
 */
public record EventfdSpec(String name, long initial, boolean semaphore, boolean nonblock, Loc loc) {}
