package dev.kvmsim.scenarios.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code vm:} section.
 *
 * @param costs  named cost overrides, each a duration or distribution string as written
 * @param apicv  extension: APIC virtualization (EOI and TPR writes without exits); default off
 * @param haltPoll  halt polling (module parameters and KVM_CAP_HALT_POLL); the kernel's defaults unless set
 */
public record VmSpec(int vcpus, GuestState guestState, Irqchip irqchip, Map<String, String> costs, boolean apicv,
                     HaltPollSpec haltPoll) {

    public VmSpec {
        costs = java.util.Collections.unmodifiableMap(new TreeMap<>(costs));
        if (haltPoll == null) {
            haltPoll = HaltPollSpec.defaults();
        }
    }

    /** A VM with the kernel's halt-polling defaults. */
    public VmSpec(int vcpus, GuestState guestState, Irqchip irqchip, Map<String, String> costs, boolean apicv) {
        this(vcpus, guestState, irqchip, costs, apicv, HaltPollSpec.defaults());
    }

    public static VmSpec defaults() {
        return new VmSpec(1, GuestState.BOOTED, Irqchip.KERNEL, Map.of(), false);
    }

    /** The same VM with other halt-polling knobs. */
    public VmSpec withHaltPoll(HaltPollSpec hp) {
        return new VmSpec(vcpus, guestState, irqchip, costs, apicv, hp);
    }

    /** The same VM with costs overridden (later entries win). */
    public VmSpec withCosts(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(costs);
        merged.putAll(overrides);
        return new VmSpec(vcpus, guestState, irqchip, merged, apicv, haltPoll);
    }

    /** {@code vm.guest_state}. */
    public enum GuestState { BOOTED, RESET }

    /** {@code vm.irqchip}. */
    public enum Irqchip { KERNEL, SPLIT, NONE }
}
