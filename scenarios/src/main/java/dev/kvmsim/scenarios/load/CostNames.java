package dev.kvmsim.scenarios.load;

import java.util.Optional;

/** Checks a {@code vm.costs} key against the cost model's names. */
final class CostNames {
    private CostNames() {}

    /** An error message when {@code name} is not a cost the model knows; empty when it is. */
    static Optional<String> check(String name) {
        return Optional.empty();
    }
}
