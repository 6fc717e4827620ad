/**
 * The cost model: every simulated step that takes time draws its duration from a named
 * {@link dev.kvmsim.kvm.cost.Cost}. Defaults stand for hardware-assisted KVM (Intel VMX with
 * EPT) and each names its source ({@code docs/costs.md}) or says it is an estimate;
 * scenarios override them by name.
 */
package dev.kvmsim.kvm.cost;
