package dev.kvmsim.cli.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.cli.FakeTraces;
import dev.kvmsim.core.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationRecorderTest {
    private static List<TraceEvent> three() {
        List<TraceEvent> all = new ArrayList<>(FakeTraces.pio(0, 500, "vcpu0"));
        for (int i = 1; i <= 3; i++) {
            all.addAll(FakeTraces.notification(i * 10_000L));
        }
        return all;
    }

    @Test
    void shouldStartAtTheExitOfTheAbsorbedWriteAndStopAfterTheEoi() {
        NotificationRecorder r = new NotificationRecorder(1);
        three().forEach(r::accept);
        List<TraceEvent> ev = r.events();
        assertEquals(FakeTraces.notification(0).size() - 1, ev.size()); // up to and including kvm_eoi
        assertEquals("kvm_exit", ev.get(0).event());
        assertEquals(10_000L, ev.get(0).time());
        assertEquals("kvm_eoi", ev.get(ev.size() - 1).event());
        assertEquals(List.of(0), r.starts());
        assertTrue(r.complete());
    }

    @Test
    void shouldKeepNNotifications() {
        NotificationRecorder r = new NotificationRecorder(2);
        three().forEach(r::accept);
        assertEquals(2, r.starts().size());
        int n = FakeTraces.notification(0).size();
        assertEquals(n, (int) r.starts().get(1));
        assertEquals(20_000L, r.events().get(n).time());
    }

    @Test
    void hostSignal_startsAtTheVmmWriteAndKeepsWhatTheEoiSetsOff() {
        NotificationRecorder r = new NotificationRecorder(1, NotificationRecorder.Start.HOST_SIGNAL);
        List<TraceEvent> run = List.of(
                dev.kvmsim.cli.FakeEvent.model(0, "vcpu0", 0, "guest_idle", "halted", ""),
                dev.kvmsim.cli.FakeEvent.model(100, "vmm", 0, "eventfd_write", "intx: write 0x1: ok", "eventfd_write"),
                dev.kvmsim.cli.FakeEvent.model(100, "vmm", 0, "irqfd_wakeup_deferred", "irqfd gsi 10 eventfd intx", "irqfd_wakeup"),
                dev.kvmsim.cli.FakeEvent.tp(200, "kworker/0:1", 0, "kvm_apic_accept_irq", "apicid 0 vec 49 (Fixed|level)", "__apic_accept_irq"),
                dev.kvmsim.cli.FakeEvent.tp(300, "vcpu0", 0, "kvm_inj_virq", "IRQ 0x31", "vmx_inject_irq"),
                dev.kvmsim.cli.FakeEvent.tp(400, "vcpu0", 0, "kvm_eoi", "apicid 0 vector 49", "apic_set_eoi"),
                dev.kvmsim.cli.FakeEvent.tp(400, "vcpu0", 0, "kvm_ack_irq", "irqchip IOAPIC pin 10", "kvm_notify_acked_irq"),
                dev.kvmsim.cli.FakeEvent.tp(500, "vcpu0", 0, "kvm_entry", "vcpu 0, rip 0x1", "vcpu_enter_guest"));
        run.forEach(r::accept);
        // vcpu0 joins when the APIC accepts for it; the ack at the EOI's instant is kept, the entry after is not
        assertEquals(List.of("eventfd_write", "irqfd_wakeup_deferred", "kvm_apic_accept_irq", "kvm_inj_virq", "kvm_eoi", "kvm_ack_irq"),
                r.events().stream().map(TraceEvent::event).toList());
        assertEquals(List.of(0), r.starts());
        assertTrue(r.complete());
        NotificationRecorder guest = new NotificationRecorder(1);
        run.forEach(guest::accept);
        assertTrue(guest.events().isEmpty(), "no ioeventfd in this run");
    }

    @Test
    void append_movesASummaryStepBeforeTheStepsItCaused() {
        // the model records __kvm_io_bus_write after the ioeventfd_write and eventfd_signal it led to
        List<TraceEvent> l = new ArrayList<>();
        l.add(dev.kvmsim.cli.FakeEvent.tp(0, "vcpu0", 0, "kvm_mmio", "mmio write len 4 gpa 0x10 val 0x1", "write_mmio"));
        l.add(dev.kvmsim.cli.FakeEvent.model(0, "vcpu0", 0, "ioeventfd_write", "matched", "ioeventfd_write"));
        l.add(dev.kvmsim.cli.FakeEvent.model(0, "vcpu0", 0, "eventfd_signal", "kick: count 0x0 -> 0x1", "eventfd_signal_mask"));
        NotificationRecorder.append(l, dev.kvmsim.cli.FakeEvent.model(0, "vcpu0", 0, "kvm_io_bus_write", "accepted by #0", "__kvm_io_bus_write"));
        assertEquals(List.of("kvm_mmio", "kvm_io_bus_write", "ioeventfd_write", "eventfd_signal"),
                l.stream().map(TraceEvent::event).toList());
        // a step of another time stays in order
        NotificationRecorder.append(l, dev.kvmsim.cli.FakeEvent.model(5, "vcpu0", 0, "kvm_io_bus_write", "", ""));
        assertEquals("kvm_io_bus_write", l.get(l.size() - 1).event());
    }

    @Test
    void narration_namesFunctionCostAndWhy() {
        NotificationRecorder r = new NotificationRecorder(1);
        three().forEach(r::accept);
        CostCatalog catalog = new CostCatalog() {
            @Override
            public List<String> candidates(TraceEvent e, TraceEvent previousOfTask) {
                return e.function().equals("eventfd_signal_mask") && e.task().equals("vcpu0")
                        ? List.of("eventfd.signal", "vmx.entry") : List.of();
            }

            @Override
            public double meanNs(String cost) {
                return cost.equals("eventfd.signal") ? 50 : 160;
            }

            @Override
            public String describe(String cost) {
                return cost;
            }
        };
        Narration narration = new Narration(catalog);
        String text = narration.render(r.events(), r.starts());
        assertTrue(text.startsWith("Notification 1 of 1"), text);
        assertTrue(text.contains("[vcpu0]  ioeventfd_write -> ioeventfd_match  (model step)"), text);
        assertTrue(text.contains("ioeventfd kick0 accepts; wildcard"), text);
        // vhost-net's signal at +4600 follows its own previous step at +1600: cost 3us
        assertTrue(text.contains("[vhost-net]  eventfd_signal_mask -> eventfd_signal  (model step)\n"
                + "        call0: count 0x0 -> 0x1, wake_up_locked_poll(EPOLLIN) over 1 waiter(s)\n"
                + "        cost +0ns"), text);
        assertTrue(text.contains("[vhost-net]  eventfd_signal -> host_thread_signal  (model step)\n"
                + "        vhost vhost-net signals eventfd call0 (eventfd_signal)\n        cost +3us"), text);
        assertTrue(text.contains("kick0: count 0x0 -> 0x1, wake_up_locked_poll(EPOLLIN) over 1 waiter(s)\n"
                + "        cost +50ns  (= eventfd.signal 50ns)"), text);
        // vmx.entry was not used by the 50ns step: it carries over and explains vcpu0's entry at +150ns
        assertTrue(text.contains("rip 0x1004 intr_info 0x00000000 error_code 0x00000000\n        cost +150ns  (includes vmx.entry)"), text);
        assertEquals(java.util.Set.of("eventfd.signal", "vmx.entry"), narration.cited());
    }

    @Test
    void mermaid_hasEveryParticipantAndOneMessagePerStep() {
        NotificationRecorder r = new NotificationRecorder(1);
        three().forEach(r::accept);
        String d = MermaidDiagram.render("one notification", r.events());
        assertTrue(d.startsWith("```mermaid\nsequenceDiagram\n"));
        assertTrue(d.endsWith("```\n"));
        assertEquals(r.events().size(), d.lines().filter(l -> l.contains("->>")).count());
        assertTrue(d.contains("KVM->>IoBus: +350ns __kvm_io_bus_write"), d);
        assertTrue(d.contains("IoBus->>Ioeventfd: +400ns ioeventfd_write"), d);
        assertTrue(d.contains("Ioeventfd->>Eventfd: +450ns eventfd_signal_mask: kick0: count 0x0 -> 0x1"), d);
        assertTrue(d.contains("Host->>Eventfd: +4.6us eventfd_signal: vhost vhost-net signals eventfd call0"), d);
        assertTrue(d.contains("->>Irqfd: +4.65us irqfd_wakeup"), d);
        assertTrue(d.contains("KVM->>Guest: +600ns kvm_entry"), d);
        assertTrue(d.contains("Eventfd->>Host: +1.5us try_to_wake_up: vhost-net runs again"), d);
    }
}
