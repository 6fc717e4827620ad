package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.model.FdRef;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.Scenario;
import dev.kvmsim.scenarios.model.StepExpect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Load errors (docs/scenarios.md "Files and values"): each with file, line, column, path and what was expected. */
class LoaderErrorsTest {

    static final String HEAD = "version: 1\nname: t\n";

    static LoadResult load(String text) {
        return ScenarioLoader.load(ScenarioSource.text("t.yaml", text));
    }

    static List<String> errors(String text) {
        LoadResult r = load(text);
        assertTrue(!r.ok(), "expected errors");
        return r.errors().stream().map(ScenarioError::render).toList();
    }

    static Scenario ok(String text) {
        LoadResult r = load(text);
        assertTrue(r.ok(), () -> "unexpected errors: " + r.errors());
        return r.scenario().orElseThrow();
    }

    @Test
    void unknownKey_isReportedWithTheKeysPlace() {
        assertEquals(List.of("t.yaml:3:1: colour: unknown key (expected one of: version, name, description, seed, until, vm, eventfds, host, threads, guest, expect)"),
                errors(HEAD + "colour: red\n"));
    }

    @Test
    void unknownKeyInsideAStep_namesTheStepsPath() {
        assertEquals(List.of("t.yaml:5:49: host[0].ioeventfd.lenght: unknown key (expected one of: eventfd, bus, addr, len, datamatch, deassign, flags, count, stride)",
                        "t.yaml:5:16: host[0].ioeventfd.len: missing required key 'len'"),
                errors(HEAD + "eventfds: [{name: k}]\nhost:\n  - ioeventfd: {eventfd: k, bus: mmio, addr: 0, lenght: 4}\n"));
    }

    @Test
    void guestAccessLengths_areTheContractsWhileIoeventfdLengthsGoToTheKernel() {
        // docs/scenarios.md: a guest out has len 1, 2 or 4 and a store 1, 2, 4 or 8 (load errors);
        // an ioeventfd's len (PIO len 8 included) is the kernel's to judge (kvm_assign_ioeventfd).
        String guest = HEAD + "guest:\n  - vcpu: 0\n    program:\n      - ";
        assertEquals(List.of("t.yaml:6:40: guest[0].program[0].pio_write.len: a guest out has len 1, 2 or 4, got 8"),
                errors(guest + "pio_write: {port: 0x6200, len: 8, value: 1}\n"));
        assertEquals(List.of("t.yaml:6:45: guest[0].program[0].mmio_write.len: a guest store has len 1, 2, 4 or 8, got 16"),
                errors(guest + "mmio_write: {addr: 0xfe003000, len: 16, value: 1}\n"));
        ok(guest + "mmio_write: {addr: 0xfe003000, len: 8, value: 1}\n");
        ok(HEAD + "eventfds: [{name: k}]\nhost:\n  - ioeventfd: {eventfd: k, bus: pio, addr: 0x6200, len: 8}\n"
                + "  - ioeventfd: {eventfd: k, bus: virtio-ccw, addr: 0, len: 3}\n");
    }

    @Test
    void missingRequiredKeys_allReportedAtOnce() {
        assertEquals(List.of("t.yaml:1:1: version: missing required key 'version'",
                        "t.yaml:1:1: name: missing required key 'name'"),
                errors("seed: 3\n"));
    }

    @Test
    void stringWhereANumberBelongs() {
        assertEquals(List.of("t.yaml:3:13: vm.vcpus: expected an unsigned 64-bit integer (decimal or 0x hex), got the string 'two'"),
                errors(HEAD + "vm: {vcpus: two}\n"));
    }

    @Test
    void negativeNumber_isALoadError() {
        assertEquals(List.of("t.yaml:5:46: host[0].ioeventfd.addr: negative number -4096: numbers are unsigned (only an expected {value: N} may be negative)"),
                errors(HEAD + "eventfds: [{name: k}]\nhost:\n  - ioeventfd: {eventfd: k, bus: mmio, addr: -4096, len: 4}\n"));
    }

    @Test
    void negativeExpectedValue_isAllowed() {
        Scenario s = ok(HEAD + "host:\n  - irq_line: {irq: 4, level: 1}\n    expect: {value: -1}\n");
        assertEquals(new StepExpect.Value(-1), s.host().get(0).meta().expect().orElseThrow());
    }

    @Test
    void numberAboveU64_isOutOfRange() {
        assertEquals(List.of("t.yaml:5:40: host[0].eventfd_write.value: number 18446744073709551616 is out of the unsigned 64-bit range (at most 18446744073709551615 = 0xffffffffffffffff)"),
                errors(HEAD + "eventfds: [{name: k}]\nhost:\n  - eventfd_write: {eventfd: k, value: 18446744073709551616}\n"));
    }

    @Test
    void u64Max_inDecimalAndHex_loads() {
        Scenario s = ok(HEAD + "eventfds: [{name: k}]\nhost:\n  - eventfd_write: {eventfd: k, value: 18446744073709551615}\n"
                + "  - eventfd_write: {eventfd: k, value: 0xffffffffffffffff}\n  - eventfd_write: {eventfd: k, value: '0xFFFFFFFFFFFFFFFF'}\n");
        for (HostStep h : s.host()) {
            assertEquals(-1L, ((HostStep.EventfdWrite) h).value());
        }
    }

    @Test
    void hexBareAndQuoted_areTheSame() {
        Scenario s = ok(HEAD + "eventfds: [{name: k}]\nhost:\n  - ioeventfd: {eventfd: k, bus: mmio, addr: 0xfe003000, len: 4}\n"
                + "  - ioeventfd: {eventfd: k, bus: mmio, addr: \"0xfe003000\", len: 4}\n  - ioeventfd: {eventfd: k, bus: mmio, addr: 4261425152, len: 4}\n");
        for (HostStep h : s.host()) {
            assertEquals(0xfe003000L, ((HostStep.Ioeventfd) h).addr());
        }
    }

    @Test
    void unknownErrnoName() {
        List<String> e = errors(HEAD + "eventfds: [{name: k}]\nhost:\n  - eventfd_read: k\n    expect: EFOO\n");
        assertEquals(1, e.size());
        assertTrue(e.get(0).startsWith("t.yaml:6:13: host[0].expect: unknown expected result 'EFOO' (expected ok, blocked, {value: N} or an errno name: EPERM, ENOENT,"), e.get(0));
    }

    @Test
    void unknownEventfdInAStep() {
        assertEquals(List.of("t.yaml:5:26: host[0].ioeventfd.eventfd: unknown eventfd 'kik0' (declared: kick0; or @badfd, @notevent)"),
                errors(HEAD + "eventfds: [{name: kick0}]\nhost:\n  - ioeventfd: {eventfd: kik0, bus: pio, addr: 0x510, len: 2}\n"));
    }

    @Test
    void specialDescriptors_areAcceptedInSteps() {
        Scenario s = ok(HEAD + "host:\n  - ioeventfd: {eventfd: '@badfd', bus: pio, addr: 0x510, len: 2}\n    expect: EBADF\n"
                + "  - irqfd: {eventfd: '@notevent', gsi: 5}\n    expect: EINVAL\n");
        assertEquals(FdRef.Kind.BADFD, ((HostStep.Ioeventfd) s.host().get(0)).eventfd().kind());
        assertEquals(FdRef.Kind.NOTEVENT, ((HostStep.Irqfd) s.host().get(1)).eventfd().kind());
    }

    @Test
    void duplicateEventfdName() {
        assertEquals(List.of("t.yaml:5:11: eventfds[1].name: duplicate eventfd name 'k' (first declared at line 4)"),
                errors(HEAD + "eventfds:\n  - name: k\n  - name: k\n"));
    }

    @Test
    void duplicateYamlKey() {
        assertEquals(List.of("t.yaml:3:1: name: duplicate key 'name'"), errors(HEAD + "name: u\n"));
    }

    @Test
    void vcpuIndexNotBelowVcpus() {
        assertEquals(List.of("t.yaml:4:16: guest[0].vcpu: vCPU index 2 is not below vm.vcpus (2)",
                        "t.yaml:5:17: expect[0].vcpu: vCPU index 7 is not below vm.vcpus (2)"),
                errors(HEAD + "vm: {vcpus: 2}\nguest: [{vcpu: 2, program: []}]\nexpect: [{vcpu: 7, delivered: 1}]\n"));
    }

    @Test
    void badDuration() {
        assertEquals(1, errors(HEAD + "until: 10\n").size());
        List<String> e = errors(HEAD + "until: 10 parsecs\n");
        assertTrue(e.get(0).startsWith("t.yaml:3:8: until: bad duration"), e.get(0));
    }

    @Test
    void badDistribution() {
        List<String> e = errors(HEAD + "eventfds: [{name: k}]\nthreads: [{name: w, kind: vhost, wait: k, service: 'poisson(3us)'}]\n");
        assertEquals(1, e.size());
        assertTrue(e.get(0).startsWith("t.yaml:4:52: threads[0].service: "), e.get(0));
        assertTrue(e.get(0).contains("poisson(3us)"), e.get(0));
    }

    @Test
    void badName() {
        assertEquals(List.of("t.yaml:2:7: name: bad name 'Virtio_Net': expected lowercase letters, digits and '-' ([a-z0-9-]+)"),
                errors("version: 1\nname: Virtio_Net\n"));
    }

    @Test
    void unsupportedVersion() {
        assertEquals(List.of("t.yaml:1:10: version: unsupported version 2: the only version is 1"), errors("version: 2\nname: t\n"));
    }

    @Test
    void kernelValidatedArguments_areNotLoadErrors() {
        // docs/kernel-model.md#ioeventfd: len 3, unknown flag bits, and #gsi-routing: GSI 4096, pin 24, raw irqchip numbers
        // are answered by the simulated ioctl, so a scenario can test the error path.
        Scenario s = ok(HEAD + "eventfds: [{name: k}]\nhost:\n"
                + "  - ioeventfd: {eventfd: k, bus: mmio, addr: 0x1000, len: 3, flags: 0x100}\n"
                + "  - irqfd: {eventfd: k, gsi: 4096}\n"
                + "  - gsi_routing: [{gsi: 1, irqchip: ioapic, pin: 24}, {gsi: 2, irqchip: 7, pin: 0}]\n");
        assertEquals(3, ((HostStep.Ioeventfd) s.host().get(0)).len());
        assertEquals(4096, ((HostStep.Irqfd) s.host().get(1)).gsi());
    }

    @Test
    void stepsOutOfTimeOrder() {
        assertEquals(List.of("t.yaml:5:40: host[1].at: time 1ms is earlier than the previous step's time 2ms (steps are in time order)"),
                errors(HEAD + "host:\n  - {irq_line: {irq: 1, level: 1}, at: 2ms}\n  - {irq_line: {irq: 1, level: 0}, at: 1ms}\n"));
    }

    @Test
    void stepWithTwoActions() {
        assertEquals(List.of("t.yaml:5:23: host[0].close: a step has exactly one action, and this one already has 'eventfd_read'"),
                errors(HEAD + "eventfds: [{name: k}]\nhost:\n  - {eventfd_read: k, close: k}\n"));
    }

    @Test
    void guestStoreLength_isALoadError() {
        assertEquals(List.of("t.yaml:3:62: guest[0].program[0].mmio_write.len: a guest store has len 1, 2, 4 or 8, got 3"),
                errors(HEAD + "guest: [{vcpu: 0, program: [{mmio_write: {addr: 0x1000, len: 3, value: 1}}]}]\n"));
    }

    @Test
    void allErrorsOfAFile_areReportedAtOnce() {
        List<String> e = errors("version: 1\nname: BAD\nvm: {vcpus: 0}\neventfds: [{name: k, initial: x}]\nhost:\n  - close: nope\n");
        assertEquals(4, e.size(), e.toString());
    }

    @Test
    void wrongTypeForAList() {
        assertEquals(List.of("t.yaml:3:7: host: expected a list of host steps, got a map"), errors(HEAD + "host: {close: k}\n"));
    }

    @Test
    void floatIsNotACount() {
        assertEquals(List.of("t.yaml:3:13: vm.vcpus: expected an unsigned 64-bit integer (decimal or 0x hex), got the number 1.5"),
                errors(HEAD + "vm: {vcpus: 1.5}\n"));
    }

    @Test
    void u32IoctlField_mustFitIn32Bits() {
        // struct kvm_irqfd has __u32 gsi: a wider value cannot even be passed to the ioctl.
        assertEquals(List.of("t.yaml:5:30: host[0].irqfd.gsi: expected a number from 0 to 0xffffffff (the ioctl's field is a __u32), got 4294967296"),
                errors(HEAD + "eventfds: [{name: k}]\nhost:\n  - irqfd: {eventfd: k, gsi: 0x100000000}\n"));
    }

    @Test
    void stepExpectKinds_dependOnTheAction() {
        assertEquals(List.of("t.yaml:6:13: host[0].expect: 'blocked' is only for eventfd_read and eventfd_write steps"),
                errors(HEAD + "eventfds: [{name: k}]\nhost:\n  - close: k\n    expect: blocked\n"));
    }

    @Test
    void unknownThreadInExpectation_andUnknownCost() {
        List<String> e = errors(HEAD + "vm: {costs: {exit.foo: 1us}}\nexpect: [{thread: nope, wakeups: 1}]\n");
        assertEquals(2, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("t.yaml:3:14: vm.costs.exit.foo: unknown cost 'exit.foo' (expected one of: "), e.get(0));
        assertEquals("t.yaml:4:19: expect[0].thread: unknown thread 'nope' (declared: none)", e.get(1));
    }
}
