package dev.kvmsim.scenarios.model;

import java.util.List;

/** The program of one vCPU. */
public record GuestProgram(int vcpu, List<GuestAction> program, Loc loc) {
    public GuestProgram {
        program = List.copyOf(program);
    }
}
