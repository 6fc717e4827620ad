package dev.kvmsim.kvm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.CostModel;
import org.junit.jupiter.api.Test;

class KernelTest {
    private final Kernel kernel = new Kernel(new Simulation(1), CostModel.defaults());

    @Test
    void theVmmThreadIsCurrentWhenNothingElseRuns() {
        assertSame(kernel.vmm(), kernel.current());
        assertEquals(TaskKind.VMM, kernel.current().kind());
    }

    @Test
    void switchTo_nestedScopesRestoreEachPreviousTask() {
        Task vcpu = kernel.newVcpuTask(3);
        Task kworker = kernel.newTask(TaskKind.KWORKER, "kworker/0:1", 0);
        try (Kernel.Switch a = kernel.switchTo(vcpu)) {
            assertSame(vcpu, kernel.current());
            try (Kernel.Switch b = kernel.switchTo(kworker)) {
                assertSame(kworker, kernel.current());
                try (Kernel.Switch c = kernel.switchTo(vcpu)) {
                    assertSame(vcpu, kernel.current());
                }
                assertSame(kworker, kernel.current());
            }
            assertSame(vcpu, kernel.current());
        }
        assertSame(kernel.vmm(), kernel.current());
    }

    @Test
    void switchTo_closingMoreThanOpenedIsAnError() {
        Kernel.Switch s = kernel.switchTo(kernel.newTask(TaskKind.KERNEL, "t", 0));
        s.close();
        assertThrows(IllegalStateException.class, s::close);
    }

    @Test
    void switchTo_returnsOneTokenPerKernel_noAllocationPerSwitch() {
        Task t = kernel.newTask(TaskKind.KERNEL, "t", 0);
        Kernel.Switch first = kernel.switchTo(t);
        Kernel.Switch second = kernel.switchTo(t);
        assertSame(first, second);
        second.close();
        first.close();
    }

    @Test
    void tasksHaveAnExplicitKindAndIdentity_notGuessedFromTheName() {
        // a vhost worker whose name does not start with "vhost" is still a vhost worker
        Task worker = kernel.newTask(TaskKind.VHOST, "net-worker", 1);
        Task iothread = kernel.newTask(TaskKind.IOTHREAD, "vhost-lookalike", 0);
        assertEquals(TaskKind.VHOST, worker.kind());
        assertEquals(TaskKind.IOTHREAD, iothread.kind());
        assertEquals(-1, worker.vcpuId());
        assertEquals(worker.pid() + 1, iothread.pid());
        Task vcpu12 = kernel.newVcpuTask(12);
        assertEquals(12, vcpu12.vcpuId());
        assertEquals(Kernel.VCPU_PID_BASE + 12, vcpu12.pid());
        assertEquals("vcpu12", vcpu12.comm());
        assertEquals(12, vcpu12.cpu());
    }

    @Test
    void newTask_refusesVcpuKind_whichNeedsAnIndex() {
        assertThrows(IllegalArgumentException.class, () -> kernel.newTask(TaskKind.VCPU, "vcpu0", 0));
    }
}
