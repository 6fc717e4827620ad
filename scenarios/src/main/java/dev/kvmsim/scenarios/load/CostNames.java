package dev.kvmsim.scenarios.load;

import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.cost.CostModel;

import java.util.Optional;

/** Checks a {@code vm.costs} key against the cost model's names ({@link Cost#id()}). */
final class CostNames {
    private CostNames() {}

    /** An error message when {@code name} is not a cost the model knows; empty when it is. */
    static Optional<String> check(String name) {
        if (Cost.byId(name).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("unknown cost '" + name + "' (expected one of: " + String.join(", ", CostModel.names()) + ")");
    }
}
