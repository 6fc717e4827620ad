package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.kernel.Kernel;

/** A fresh simulated kernel and fd table for eventfd tests. */
final class EventfdTestSupport {
    final Simulation sim = new Simulation(1);
    final Kernel env = new Kernel(sim, CostModel.defaults());
    final FdTable fds = new FdTable(env);

    EventfdCtx create(long initial, int flags) {
        int fd = fds.eventfd2(initial, flags);
        if (fd < 0) {
            throw new AssertionError("eventfd2 failed: " + fd);
        }
        return fds.eventfd(fd);
    }
}
