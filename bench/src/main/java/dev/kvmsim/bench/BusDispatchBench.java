package dev.kvmsim.bench;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoBus;
import dev.kvmsim.kvm.ioeventfd.KvmIoeventfd;
import dev.kvmsim.kvm.vm.KvmVm;
import dev.kvmsim.kvm.vm.VmOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Dispatch of one guest write on a KVM_MMIO_BUS holding {@code ioeventfds} datamatch
 * ioeventfds (kvm_io_bus_write -> bsearch -> ioeventfd_write -> eventfd_signal), tracing off.
 * The write hits the middle ioeventfd; the cost should grow with log2(n), not n.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BusDispatchBench {
    private static final long BASE = 0xfe00_0000L;

    @Param({"10", "10000"})
    public int ioeventfds;

    private KvmIoBus bus;
    private long hitAddr;
    private long missAddr;

    @Setup
    public void setUp() {
        KvmVm vm = new KvmVm(new Simulation(1), CostModel.defaults(), VmOptions.defaults());
        int fd = vm.fds().eventfd2("kick", 0, 0);
        for (int i = 0; i < ioeventfds; i++) {
            vm.ioeventfd(KvmIoeventfd.datamatch(BASE + 4L * i, 4, 1, fd, false));
        }
        bus = vm.bus(KvmBus.MMIO);
        hitAddr = BASE + 4L * (ioeventfds / 2);
        missAddr = BASE - 0x1000;
    }

    /** A write that the middle ioeventfd consumes (signals its eventfd). */
    @Benchmark
    public int writeHit() {
        return bus.write(0, hitAddr, 4, 1);
    }

    /** A write whose datamatch differs: found by bsearch, declined, -EOPNOTSUPP. */
    @Benchmark
    public int writeDatamatchMiss() {
        return bus.write(0, hitAddr, 4, 2);
    }

    /** A write no range contains: bsearch ends empty. */
    @Benchmark
    public int writeNoDevice() {
        return bus.write(0, missAddr, 4, 1);
    }
}
