package dev.kvmsim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The errors of each scenario section's binder (dev.kvmsim.scenarios.load), exact to the file,
 * line, column, path and message, and in the order they are reported: the errors the other
 * loader tests did not reach. The expected texts were recorded from the single binder the
 * per-section binders replaced, so they pin its behaviour.
 */
class SectionBinderErrorsTest {
    static List<String> errors(String text) {
        return LoaderErrorsTest.errors(text);
    }

    /** gsi_routing: an entry is msi or irqchip (not both, not neither), pin only with irqchip, a chip by name or __u32 number. */
    @Test
    void routingEntries_eachShapeErrorNamesTheEntry() {
        assertEquals(List.of(
                "t.yaml:5:9: host[0].gsi_routing[0]: an entry is either msi or irqchip, not both",
                "t.yaml:6:9: host[0].gsi_routing[1]: missing the entry's type: expected msi: {address, data} or irqchip with pin",
                "t.yaml:7:58: host[0].gsi_routing[2].pin: pin belongs to irqchip entries, not msi",
                "t.yaml:8:27: host[0].gsi_routing[3].irqchip: expected pic-master, pic-slave, ioapic or a chip number, got 'pic-third'",
                "t.yaml:9:27: host[0].gsi_routing[4].irqchip: expected a number from 0 to 0xffffffff (the ioctl's field is a __u32), got 4294967296"),
                errors("version: 1\n"
                + "name: t\n"
                + "host:\n"
                + "  - gsi_routing:\n"
                + "      - {gsi: 1, msi: {address: 0xfee00000, data: 0x41}, irqchip: ioapic, pin: 1}\n"
                + "      - {gsi: 2}\n"
                + "      - {gsi: 3, msi: {address: 0xfee00000, data: 0x41}, pin: 3}\n"
                + "      - {gsi: 4, irqchip: pic-third, pin: 1}\n"
                + "      - {gsi: 5, irqchip: 0x100000000, pin: 1}\n"));
    }

    /** guest programs: unknown bare actions, cli/sti as maps, values wider than the access, expect on a non-write, repeat without do, no action key. */
    @Test
    void guestActions_badActionsAreReportedAndTheProgramGoesOn() {
        assertEquals(List.of(
                "t.yaml:7:9: guest[0].program[0]: unknown guest action 'halt' (bare actions are cli, sti, wait_irq; others are maps: compute, mmio_write, pio_write, wait_irq, wait_until, cli, sti, ioapic_redirect, repeat)",
                "t.yaml:8:9: guest[0].program[1]: cli is written as a bare list item: - cli",
                "t.yaml:9:48: guest[0].program[2].pio_write.value: value 0x100 does not fit in 1 byte",
                "t.yaml:10:55: guest[0].program[3].mmio_write.value: value 0x10000 does not fit in 2 bytes",
                "t.yaml:12:9: guest[0].program[4].expect: expect: kernel|userspace is only for mmio_write and pio_write",
                "t.yaml:13:9: guest[0].program[5].do: missing required key 'do'",
                "t.yaml:14:9: guest[0].program[6]: missing the action: expected one of compute, mmio_write, pio_write, wait_irq, wait_until, cli, sti, ioapic_redirect, repeat"),
                errors("version: 1\n"
                + "name: t\n"
                + "vm: {vcpus: 2}\n"
                + "guest:\n"
                + "  - vcpu: 0\n"
                + "    program:\n"
                + "      - halt\n"
                + "      - cli: {}\n"
                + "      - pio_write: {port: 0x60, len: 1, value: 0x100}\n"
                + "      - mmio_write: {addr: 0xfe000000, len: 2, value: 0x10000}\n"
                + "      - compute: 1us\n"
                + "        expect: kernel\n"
                + "      - repeat: 2\n"
                + "      - {expect: kernel}\n"));
    }

    /** threads and expectations: duplicate thread names, kinds, wait eventfds, service distributions; thread, eventfd and latency expectations without a comparison. */
    @Test
    void threadsAndExpectations_namesKindsAndComparisonsAreChecked() {
        assertEquals(List.of(
                "t.yaml:6:12: threads[1].name: duplicate thread name 'w' (first declared at line 5)",
                "t.yaml:7:21: threads[2].kind: expected one of vhost, iothread, got 'fiber'",
                "t.yaml:7:34: threads[2].wait: unknown eventfd 'nope' (declared: k)",
                "t.yaml:7:49: threads[2].service: bad distribution \"soon\": bad duration \"soon\": unknown unit \"soon\"; expected a number with a unit ns, us, ms or s, like \"2us\"",
                "t.yaml:9:5: expect[0]: expected wakeups, services or polled_wakeups",
                "t.yaml:10:13: expect[1].thread: unknown thread 'zz' (declared: w, x)",
                "t.yaml:12:5: expect[2]: expected counter or signals (or both)",
                "t.yaml:13:14: expect[3].latency: expected at least one of: p50, p90, p99, max, mean, min, count",
                "t.yaml:14:36: expect[4].latency.p50: expected a duration comparison like \"<= 20us\" or a number of ns: bad duration \"fast\": unknown unit \"fast\"; expected a number with a unit ns, us, ms or s, like \"2us\""),
                errors("version: 1\n"
                + "name: t\n"
                + "eventfds: [{name: k}]\n"
                + "threads:\n"
                + "  - {name: w, kind: vhost, wait: k, service: 1us}\n"
                + "  - {name: w, kind: vhost, wait: k, service: 1us}\n"
                + "  - {name: x, kind: fiber, wait: nope, service: soon}\n"
                + "expect:\n"
                + "  - thread: w\n"
                + "  - thread: zz\n"
                + "    wakeups: 1\n"
                + "  - eventfd: k\n"
                + "  - latency: {metric: notify}\n"
                + "  - latency: {metric: notify, p50: \"<= fast\"}\n"));
    }

    /** host step expect: blocked only on reads/writes, errno names, {errno, after} needs both, {value} alone. */
    @Test
    void stepExpectations_eachFormIsAllowedOnlyWhereItCanHappen() {
        assertEquals(List.of(
                "t.yaml:6:13: host[0].expect: 'blocked' is only for eventfd_read and eventfd_write steps",
                "t.yaml:8:21: host[1].expect.errno: unknown errno 'ENOPE' (expected one of: EPERM, ENOENT, EINTR, ENXIO, EBADF, EAGAIN, ENOMEM, EFAULT, EBUSY, EEXIST, EINVAL, ENOSPC, EOPNOTSUPP, ERESTARTSYS)",
                "t.yaml:10:13: host[2].expect.after: missing required key 'after'",
                "t.yaml:12:24: host[3].expect.extra: unknown key (expected one of: value)"),
                errors("version: 1\n"
                + "name: t\n"
                + "eventfds: [{name: k}]\n"
                + "host:\n"
                + "  - eventfd_signal: k\n"
                + "    expect: blocked\n"
                + "  - ioeventfd: {eventfd: k, addr: 0, len: 4, count: 2}\n"
                + "    expect: {errno: ENOPE, after: 1}\n"
                + "  - ioeventfd: {eventfd: k, addr: 8, len: 4}\n"
                + "    expect: {errno: EEXIST}\n"
                + "  - eventfd_read: k\n"
                + "    expect: {value: 2, extra: 1}\n"));
    }

    /** vm: vcpus range, guest_state, irqchip, apicv, cost names and distributions, unknown keys. */
    @Test
    void vmSection_everyFieldIsChecked() {
        assertEquals(List.of(
                "t.yaml:9:3: vm.colour: unknown key (expected one of: vcpus, guest_state, irqchip, costs, apicv, halt_poll_ns, halt_poll_ns_grow, halt_poll_ns_grow_start, halt_poll_ns_shrink, max_halt_poll_ns, guest_haltpoll, host_cpus)",
                "t.yaml:4:10: vm.vcpus: expected a vCPU count from 1 to 1024, got 0",
                "t.yaml:5:16: vm.guest_state: expected one of booted, reset, got 'asleep'",
                "t.yaml:6:12: vm.irqchip: expected one of kernel, split, none, got 'userspace'",
                "t.yaml:8:11: vm.costs.vmx.exitt: unknown cost 'vmx.exitt' (expected one of: vmx.exit, vmx.entry, exit.cpuid, exit.pio, exit.fast_mmio, exit.mmio, exit.mmio_emulate, ioeventfd.datamatch, userspace.pio, userspace.mmio, eventfd.signal, sched.wakeup, vhost.wakeup, thread.poll_wakeup, iothread.wakeup, syscall.read, syscall.write, wq.kworker_wakeup, wq.work_item, irqfd.inject, irq.msi_deliver, vcpu.kick_ipi, vcpu.halt_wakeup, vcpu.halt_poll_wakeup, entry.inject_virq, guest.irq_handler, exit.eoi_msr, ioapic.mmio, exit.hlt)",
                "t.yaml:8:38: vm.costs.exit.pio: bad distribution \"fast\": bad duration \"fast\": unknown unit \"fast\"; expected a number with a unit ns, us, ms or s, like \"2us\"",
                "t.yaml:7:10: vm.apicv: expected true or false, got the string 'maybe'"),
                errors("version: 1\n"
                + "name: t\n"
                + "vm:\n"
                + "  vcpus: 0\n"
                + "  guest_state: asleep\n"
                + "  irqchip: userspace\n"
                + "  apicv: maybe\n"
                + "  costs: {vmx.exitt: 10ns, exit.pio: fast}\n"
                + "  colour: red\n"));
    }

    /** vm halt polling: the module parameters and KVM_CAP_HALT_POLL's args[0] are unsigned ints (virt/kvm/kvm_main.c). */
    @Test
    void vmSection_haltPollKnobsAreUnsignedInts() {
        assertEquals(List.of(
                "t.yaml:4:17: vm.halt_poll_ns: expected nanoseconds as an unsigned int (0 to 4294967295) or a duration like \"200us\", got 4294967296",
                "t.yaml:5:22: vm.halt_poll_ns_grow: negative number -1: numbers are unsigned (only an expected {value: N} may be negative)",
                "t.yaml:6:28: vm.halt_poll_ns_grow_start: bad duration \"soon\": unknown unit \"soon\"; expected a number with a unit ns, us, ms or s, like \"2us\"",
                "t.yaml:7:21: vm.max_halt_poll_ns: expected at most 4294967295 ns (an unsigned int), got 5s"),
                errors("version: 1\n"
                + "name: t\n"
                + "vm:\n"
                + "  halt_poll_ns: 4294967296\n"
                + "  halt_poll_ns_grow: -1\n"
                + "  halt_poll_ns_grow_start: soon\n"
                + "  max_halt_poll_ns: 5s\n"));
    }

    /** vm.guest_haltpoll: a boolean or a map of the governor's module parameters (drivers/cpuidle/governors/haltpoll.c). */
    @Test
    void vmSection_guestHaltpollIsABooleanOrItsParameters() {
        assertEquals(List.of(
                "t.yaml:5:5: vm.guest_haltpoll.guest_halt_poll_colour: unknown key (expected one of: guest_halt_poll_ns, guest_halt_poll_grow, guest_halt_poll_grow_start, guest_halt_poll_shrink, guest_halt_poll_allow_shrink)",
                "t.yaml:4:50: vm.guest_haltpoll.guest_halt_poll_allow_shrink: expected true or false, got the string 'often'"),
                errors("version: 1\n"
                + "name: t\n"
                + "vm:\n"
                + "  guest_haltpoll: {guest_halt_poll_allow_shrink: often,\n"
                + "    guest_halt_poll_colour: 1}\n"));
    }

    /** vm.host_cpus and threads[].cpus: CPU numbers within the host's, one list per vCPU, a set only with host CPUs. */
    @Test
    void hostCpus_cpuSetsAreChecked() {
        assertEquals(List.of("t.yaml:4:33: vm.host_cpus.vcpus[0]: CPU 2 is not among the host's 2 CPUs (0 to 1)"),
                errors("version: 1\n"
                + "name: t\n"
                + "vm:\n"
                + "  host_cpus: {count: 2, vcpus: [[2]]}\n"
                + "eventfds: [{name: k}]\n"
                + "threads:\n"
                + "  - {name: w, kind: vhost, wait: k, service: 1us,\n"
                + "    cpus: [1]}\n"));
        assertEquals(List.of("t.yaml:7:5: threads[0].cpus: CPU 5 is not among the host's 2 CPUs (0 to 1)"),
                errors("version: 1\n"
                + "name: t\n"
                + "vm:\n"
                + "  host_cpus: {count: 2, vcpus: [[1]]}\n"
                + "eventfds: [{name: k}]\n"
                + "threads:\n"
                + "  - {name: w, kind: vhost, wait: k, service: 1us,\n"
                + "    cpus: [5]}\n"));
        assertEquals(List.of("t.yaml:5:5: threads[0].cpus: a CPU set needs vm.host_cpus (without it every thread has a CPU of its own)"),
                errors("version: 1\n"
                + "name: t\n"
                + "eventfds: [{name: k}]\n"
                + "threads:\n"
                + "  - {name: w, kind: vhost, wait: k, service: 1us,\n"
                + "    cpus: [0]}\n"));
    }

    /** eventfds: reserved and duplicate names, initial is an unsigned int, flags, shape. */
    @Test
    void eventfdsSection_namesInitialValuesAndFlags() {
        assertEquals(List.of(
                "t.yaml:4:12: eventfds[0].name: bad eventfd name '@mine': names may not be empty or start with '@' (reserved for @badfd, @notevent)",
                "t.yaml:5:24: eventfds[1].initial: expected an initial count from 0 to 4294967295 (eventfd2 takes an unsigned int), got 4294967296",
                "t.yaml:5:56: eventfds[1].flags[1]: expected one of semaphore, nonblock, cloexec, got 'fast'",
                "t.yaml:6:12: eventfds[2].name: duplicate eventfd name 'a' (first declared at line 5)",
                "t.yaml:7:5: eventfds[3]: expected an eventfd (a map with name, initial, flags), got the string 'just-a-name'",
                "t.yaml:8:5: eventfds[4].name: missing required key 'name'"),
                errors("version: 1\n"
                + "name: t\n"
                + "eventfds:\n"
                + "  - {name: \"@mine\"}\n"
                + "  - {name: a, initial: 0x100000000, flags: [semaphore, fast]}\n"
                + "  - {name: a}\n"
                + "  - just-a-name\n"
                + "  - {initial: 1}\n"));
    }

    /** top level: version, name pattern, description type, seed unsigned, until a duration. */
    @Test
    void topLevel_versionNameSeedUntilDescription() {
        assertEquals(List.of(
                "t.yaml:1:10: version: unsupported version 2: the only version is 1",
                "t.yaml:2:7: name: bad name 'Bad_Name': expected lowercase letters, digits and '-' ([a-z0-9-]+)",
                "t.yaml:5:14: description: expected a string, got a list",
                "t.yaml:3:7: seed: negative number -3: numbers are unsigned (only an expected {value: N} may be negative)",
                "t.yaml:4:8: until: bad duration \"soon\": unknown unit \"soon\"; expected a number with a unit ns, us, ms or s, like \"2us\""),
                errors("version: 2\n"
                + "name: Bad_Name\n"
                + "seed: -3\n"
                + "until: soon\n"
                + "description: [x]\n"));
    }

    /** a scenario is a map. */
    @Test
    void topLevel_mustBeAMap() {
        assertEquals(List.of(
                "t.yaml:1:1: expected a scenario (a map with version, name, ...) at the top level, got a list"),
                errors("[1, 2]\n"));
    }
}
