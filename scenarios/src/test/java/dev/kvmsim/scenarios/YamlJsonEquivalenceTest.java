package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.model.Scenario;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/scenarios.md "Files and values": YAML and JSON, the same structure, bind to the same scenario. */
class YamlJsonEquivalenceTest {

    static final String YAML = """
            version: 1
            name: equiv
            description: "same in both"
            seed: 7
            until: 10ms
            vm: {vcpus: 2, irqchip: split, guest_state: reset, costs: {}}
            eventfds:
              - {name: kick0, initial: 3, flags: [semaphore, nonblock]}
              - name: call0
            host:
              - ioeventfd: {eventfd: kick0, bus: mmio, addr: 0xfe003000, len: 4, datamatch: 0, count: 2, stride: 0x10}
                expect: ok
              - gsi_routing:
                  - {gsi: 24, msi: {address: 0xfee00000, data: 0x22}}
                  - {gsi: 5, irqchip: ioapic, pin: 5, count: 2}
              - irqfd: {eventfd: call0, gsi: 24}
                at: 1us
              - eventfd_read: kick0
                expect: {value: 1}
              - check:
                  - {eventfd: kick0, counter: ">= 0"}
            threads:
              - {name: w, kind: vhost, wait: kick0, service: exp(3us), signal: call0}
            guest:
              - vcpu: 1
                program:
                  - cli
                  - repeat: 3
                    do:
                      - compute: 2us
                      - mmio_write: {addr: 0xfe003000, len: 4, value: 1}
                        expect: kernel
                      - wait_irq: {vector: 0x22, timeout: 1ms}
                  - sti
            expect:
              - {eventfd: kick0, counter: 0, signals: "== 3"}
              - {vcpu: 1, vector: 0x22, delivered: 3}
              - exits: {vcpu: 1, reason: EPT_MISCONFIG, count: 3}
              - userspace_exits: {kind: mmio, count: 0}
              - latency: {metric: notify_to_irq, p99: "<= 20us"}
            """;

    static final String JSON = """
            {"version": 1, "name": "equiv", "description": "same in both", "seed": 7, "until": "10ms",
             "vm": {"vcpus": 2, "irqchip": "split", "guest_state": "reset", "costs": {}},
             "eventfds": [{"name": "kick0", "initial": 3, "flags": ["semaphore", "nonblock"]}, {"name": "call0"}],
             "host": [
               {"ioeventfd": {"eventfd": "kick0", "bus": "mmio", "addr": "0xfe003000", "len": 4, "datamatch": 0, "count": 2, "stride": 16}, "expect": "ok"},
               {"gsi_routing": [{"gsi": 24, "msi": {"address": 4276092928, "data": 34}}, {"gsi": 5, "irqchip": "ioapic", "pin": 5, "count": 2}]},
               {"irqfd": {"eventfd": "call0", "gsi": 24}, "at": "1us"},
               {"eventfd_read": "kick0", "expect": {"value": 1}},
               {"check": [{"eventfd": "kick0", "counter": ">= 0"}]}
             ],
             "threads": [{"name": "w", "kind": "vhost", "wait": "kick0", "service": "exp(3us)", "signal": "call0"}],
             "guest": [{"vcpu": 1, "program": ["cli",
                {"repeat": 3, "do": [{"compute": "2us"}, {"mmio_write": {"addr": "0xfe003000", "len": 4, "value": 1}, "expect": "kernel"},
                                     {"wait_irq": {"vector": "0x22", "timeout": "1ms"}}]},
                "sti"]}],
             "expect": [{"eventfd": "kick0", "counter": 0, "signals": "== 3"}, {"vcpu": 1, "vector": 34, "delivered": 3},
                        {"exits": {"vcpu": 1, "reason": "EPT_MISCONFIG", "count": 3}}, {"userspace_exits": {"kind": "mmio", "count": 0}},
                        {"latency": {"metric": "notify_to_irq", "p99": "<= 20us"}}]}
            """;

    /** The record rendering without places (they differ between the two files by nature). */
    static String withoutPlaces(Scenario s) {
        return s.withSeed(s.seed()).toString().replaceAll("loc=\\d+:\\d+", "loc").replaceAll("source=[^,]*,", "");
    }

    @Test
    void yamlAndJson_bindToTheSameScenario() {
        LoadResult y = ScenarioLoader.load(ScenarioSource.text("e.yaml", YAML));
        LoadResult j = ScenarioLoader.load(ScenarioSource.text("e.json", JSON));
        assertTrue(y.ok(), () -> y.errors().toString());
        assertTrue(j.ok(), () -> j.errors().toString());
        assertEquals(withoutPlaces(y.orThrow()), withoutPlaces(j.orThrow()));
    }

    @Test
    void jsonErrors_haveLinesToo() {
        LoadResult j = ScenarioLoader.load(ScenarioSource.text("e.json", "{\"version\": 1,\n \"name\": \"x\",\n \"vm\": {\"vcpus\": \"many\"}}"));
        assertEquals("e.json:3:18: vm.vcpus: expected an unsigned 64-bit integer (decimal or 0x hex), got the string 'many'", j.errors().get(0).render());
    }

    @Test
    void duplicateJsonKey_hasItsPath() {
        LoadResult j = ScenarioLoader.load(ScenarioSource.text("d.json", "{\"version\": 1, \"name\": \"x\",\n \"vm\": {\"vcpus\": 1, \"vcpus\": 2}}"));
        assertEquals("d.json:2:21: vm.vcpus: duplicate key 'vcpus'", j.errors().get(0).render());
    }
}
