package dev.kvmsim.scenarios.sweep;

import java.io.Serializable;

/**
 * One field of a scenario set to a value, by its path: {@code vm.costs.vhost.wakeup},
 * {@code seed}, {@code threads[0].service}, {@code threads[vhost-net].service} (the list item
 * whose {@code name} is vhost-net), {@code guest[0].program[0].repeat}. The value is YAML
 * ({@code 3us}, {@code 4}, {@code exp(5us)}, {@code [semaphore]}).
 */
public record Override(String path, String value) implements Serializable {
    /** {@code PATH=VALUE} as a string ({@code vm.vcpus=2}). */
    @java.lang.Override
    public String toString() {
        return path + "=" + value;
    }
}
