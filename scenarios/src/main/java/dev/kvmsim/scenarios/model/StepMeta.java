package dev.kvmsim.scenarios.model;

import java.util.Optional;

/**
 * What every host step has besides its action.
 *
 * @param index   0-based position in {@code host:}
 * @param at      absolute simulated time in ns (resolved: a step without {@code at} runs at the previous step's time)
 * @param expect  the step's own expected result, if written
 */
public record StepMeta(int index, Loc loc, long at, Optional<StepExpect> expect) {}
