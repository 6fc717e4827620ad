package dev.kvmsim.kvm.ioeventfd;

import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.eventfd.CtxResult;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoBus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Collections;
import java.util.List;

/**
 * Models the ioeventfd half of virt/kvm/eventfd.c: {@code kvm->ioeventfds} and the KVM_IOEVENTFD
 * entry points kvm_ioeventfd, kvm_assign_ioeventfd(_idx), kvm_deassign_ioeventfd(_idx),
 * ioeventfd_check_collision and ioeventfd_bus_from_flags.
 *
 * <p>Caveats: single simulation thread (the kernel's {@code slots_lock} sections are atomic
 * here). Returns kernel-style ints (0 or a negative errno); the facade turns them into results.
 * The list keeps registration order, which decides which entry a deassign finds first.
 */
public final class Ioeventfds {
    private static final int EINVAL = Errno.EINVAL.neg();
    private static final int EEXIST = Errno.EEXIST.neg();
    private static final int ENOENT = Errno.ENOENT.neg();

    private final FdTable fds;
    private final KvmIoBus[] buses;
    /** kvm->ioeventfds in list order (list_add_tail), with O(1) removal. */
    private final LinkedHashSet<Ioeventfd> list = new LinkedHashSet<>();
    /**
     * The same entries by bus and address, each list in kvm->ioeventfds order: every match of
     * ioeventfd_check_collision and kvm_deassign_ioeventfd_idx shares both, so looking only here
     * gives the kernel's answer without walking the whole list (set-up of N is O(N)).
     */
    private final Map<Key, List<Ioeventfd>> byAddr = new HashMap<>();

    private record Key(KvmBus bus, long addr) { }

    /** {@code buses} is indexed by {@link KvmBus#index()}. */
    public Ioeventfds(FdTable fds, KvmIoBus[] buses) {
        this.fds = fds;
        this.buses = buses;
    }

    /** {@code kvm->ioeventfds}, in list order (a read-only view). */
    public List<Ioeventfd> list() {
        return List.copyOf(list);
    }

    /** Models kvm_ioeventfd: DEASSIGN selects deassign, else assign. */
    public int kvmIoeventfd(KvmIoeventfd args) {
        if ((args.flags() & KvmIoeventfd.FLAG_DEASSIGN) != 0) {
            return deassign(args);
        }
        return assign(args);
    }

    /** Models ioeventfd_bus_from_flags: PIO wins over VIRTIO_CCW_NOTIFY; else MMIO. */
    static KvmBus busFromFlags(int flags) {
        if ((flags & KvmIoeventfd.FLAG_PIO) != 0) {
            return KvmBus.PIO;
        }
        if ((flags & KvmIoeventfd.FLAG_VIRTIO_CCW_NOTIFY) != 0) {
            return KvmBus.VIRTIO_CCW_NOTIFY;
        }
        return KvmBus.MMIO;
    }

    /**
     * Models kvm_assign_ioeventfd: validate (length, wrap, flags, len 0 with datamatch) before
     * touching anything, assign on the bus from the flags, and for a len-0 MMIO ioeventfd a
     * second one on KVM_FAST_MMIO_BUS, unwinding the first if the second fails.
     */
    int assign(KvmIoeventfd args) {
        KvmBus bus = busFromFlags(args.flags());
        // must be natural-word sized, or 0 to ignore length
        switch (args.len()) {
            case 0, 1, 2, 4, 8 -> { }
            default -> {
                return EINVAL;
            }
        }
        // check for range overflow (u64 addr + u32 len)
        if (Long.compareUnsigned(args.addr() + Integer.toUnsignedLong(args.len()), args.addr()) < 0) {
            return EINVAL;
        }
        // check for extra flags that we don't understand
        if ((args.flags() & ~KvmIoeventfd.VALID_FLAG_MASK) != 0) {
            return EINVAL;
        }
        // ioeventfd with no length can't be combined with DATAMATCH
        if (args.len() == 0 && (args.flags() & KvmIoeventfd.FLAG_DATAMATCH) != 0) {
            return EINVAL;
        }
        int ret = assignIdx(bus, args);
        if (ret != 0) {
            return ret;
        }
        // when length is ignored, MMIO is also put on a separate bus, for faster lookups
        if (args.len() == 0 && bus == KvmBus.MMIO) {
            ret = assignIdx(KvmBus.FAST_MMIO, args);
            if (ret < 0) {
                deassignIdx(bus, args);
                return ret;
            }
        }
        return 0;
    }

    /**
     * Models kvm_assign_ioeventfd_idx: eventfd_ctx_fdget (-EBADF / -EINVAL), build the
     * _ioeventfd (wildcard unless DATAMATCH), collision check (-EEXIST), register on the bus
     * (-ENOSPC), count it and add it to the list. Failures drop the context reference.
     */
    private int assignIdx(KvmBus bus, KvmIoeventfd args) {
        CtxResult got = fds.eventfdCtxFdget(args.fd());
        if (!got.ok()) {
            return got.ret();
        }
        EventfdCtx ctx = got.ctx();
        boolean wildcard = (args.flags() & KvmIoeventfd.FLAG_DATAMATCH) == 0;
        Ioeventfd p = new Ioeventfd(fds.kernel().sim(), bus, args.addr(), args.len(), ctx,
                wildcard ? 0 : args.datamatch(), wildcard);
        // verify that there isn't a match already
        if (checkCollision(p)) {
            ctx.ctxPut();
            return EEXIST;
        }
        int ret = buses[bus.index()].register(p.addr(), p.length(), p);
        if (ret < 0) {
            ctx.ctxPut();
            return ret;
        }
        list.add(p);
        byAddr.computeIfAbsent(new Key(p.bus(), p.addr()), k -> new ArrayList<>(1)).add(p);
        return 0;
    }

    /**
     * Models ioeventfd_check_collision: same bus and address, and either length 0, or equal
     * lengths with either one wildcard or equal datamatch. The eventfd is not compared.
     */
    boolean checkCollision(Ioeventfd p) {
        for (Ioeventfd q : byAddr.getOrDefault(new Key(p.bus(), p.addr()), List.of())) {
            if (q.bus() == p.bus() && q.addr() == p.addr()
                    && (q.length() == 0 || p.length() == 0
                        || (q.length() == p.length()
                            && (q.wildcard() || p.wildcard() || q.datamatch() == p.datamatch())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Models kvm_deassign_ioeventfd: no validation of len or flags; deassign on the bus from the
     * flags; for MMIO len 0 also the FAST_MMIO twin, whose result is ignored.
     */
    int deassign(KvmIoeventfd args) {
        KvmBus bus = busFromFlags(args.flags());
        int ret = deassignIdx(bus, args);
        if (args.len() == 0 && bus == KvmBus.MMIO) {
            deassignIdx(KvmBus.FAST_MMIO, args);
        }
        return ret;
    }

    /**
     * Models kvm_deassign_ioeventfd_idx: eventfd_ctx_fdget; the first entry with the same bus,
     * eventfd context, address, length, wildcard-ness and (if not wildcard) datamatch is
     * unregistered and freed (dropping its context reference); none -> -ENOENT.
     */
    private int deassignIdx(KvmBus bus, KvmIoeventfd args) {
        CtxResult got = fds.eventfdCtxFdget(args.fd());
        if (!got.ok()) {
            return got.ret();
        }
        EventfdCtx ctx = got.ctx();
        boolean wildcard = (args.flags() & KvmIoeventfd.FLAG_DATAMATCH) == 0;
        int ret = ENOENT;
        List<Ioeventfd> here = byAddr.getOrDefault(new Key(bus, args.addr()), List.of());
        for (int i = 0; i < here.size(); i++) {
            Ioeventfd p = here.get(i);
            if (p.bus() != bus || p.eventfd() != ctx || p.addr() != args.addr()
                    || p.length() != args.len() || p.wildcard() != wildcard) {
                continue;
            }
            if (!p.wildcard() && p.datamatch() != args.datamatch()) {
                continue;
            }
            buses[bus.index()].unregister(p);
            list.remove(p);
            here.remove(i);
            if (here.isEmpty()) {
                byAddr.remove(new Key(bus, args.addr()));
            }
            // ioeventfd_release: the device destructor drops the context reference
            p.eventfd().ctxPut();
            ret = 0;
            break;
        }
        ctx.ctxPut();
        return ret;
    }
}
