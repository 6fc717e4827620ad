package dev.kvmsim.scenarios.model;

import java.util.List;
import java.util.OptionalLong;

/**
 * One scenario file, bound and validated.
 *
 * @param source  where it was loaded from (a path or {@code library:NAME})
 * @param until   simulated-time limit in ns; empty: run until nothing is left to do
 */
public record Scenario(
        String source,
        int version,
        String name,
        String description,
        long seed,
        OptionalLong until,
        VmSpec vm,
        List<EventfdSpec> eventfds,
        List<HostStep> host,
        List<ThreadSpec> threads,
        List<GuestProgram> guest,
        List<Expectation> expect) {

    public Scenario {
        eventfds = List.copyOf(eventfds);
        host = List.copyOf(host);
        threads = List.copyOf(threads);
        guest = List.copyOf(guest);
        expect = List.copyOf(expect);
    }

    /** The same scenario with another seed. */
    public Scenario withSeed(long newSeed) {
        return new Scenario(source, version, name, description, newSeed, until, vm, eventfds, host, threads, guest, expect);
    }

    /** The same scenario with another simulated-time limit. */
    public Scenario withUntil(OptionalLong newUntil) {
        return new Scenario(source, version, name, description, seed, newUntil, vm, eventfds, host, threads, guest, expect);
    }

    /** The same scenario with other host steps (used to derive variants, e.g. mutation tests). */
    public Scenario withHost(List<HostStep> newHost) {
        return new Scenario(source, version, name, description, seed, until, vm, eventfds, newHost, threads, guest, expect);
    }

    /** The same scenario with another VM specification. */
    public Scenario withVm(VmSpec newVm) {
        return new Scenario(source, version, name, description, seed, until, newVm, eventfds, host, threads, guest, expect);
    }

    /** The same scenario with other guest programs. */
    public Scenario withGuest(List<GuestProgram> newGuest) {
        return new Scenario(source, version, name, description, seed, until, vm, eventfds, host, threads, newGuest, expect);
    }
}
