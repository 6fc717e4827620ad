package dev.kvmsim.harness.gen;

import dev.kvmsim.harness.Scenarios;
import dev.kvmsim.harness.Tools;
import dev.kvmsim.scenarios.model.Scenario;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C harness of every conformance and library scenario the harness supports compiles with
 * {@code gcc -Wall -Wextra -Werror} (all of them syntax-checked in one gcc run; a few, one per
 * irqchip mode and host-side feature, fully built and linked). Skipped, with the reason, where
 * gcc or the kernel's UAPI headers (linux-libc-dev) are missing.
 */
class HarnessCompilesTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void needsGccAndKvmHeaders() throws Exception {
        Tools.assumeOnPath("gcc");
        Path probe = dir.resolve("probe.c");
        Files.writeString(probe, "#include <linux/kvm.h>\nint main(void) { return KVM_API_VERSION == 12 ? 0 : 1; }\n");
        int rc = Tools.run(dir, dir.resolve("probe.log"), List.of("gcc", "-fsyntax-only", "probe.c"));
        Assumptions.assumeTrue(rc == 0, "skipped: <linux/kvm.h> not found (install linux-libc-dev)");
    }

    @Test
    void everySupportedScenarioCompilesWithWallWextraWerror() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gcc", "-fsyntax-only", "-std=gnu11", "-Wall", "-Wextra", "-Werror"));
        int n = 0;
        for (Path p : Scenarios.all()) {
            Scenario s = Scenarios.load(p);
            if (Support.unsupported(s).isEmpty()) {
                Path c = dir.resolve(s.name() + ".c");
                Files.writeString(c, CHarness.program(s));
                cmd.add(c.getFileName().toString());
                n++;
            }
        }
        Path log = dir.resolve("gcc.log");
        int rc = Tools.run(dir, log, cmd);
        assertEquals(0, rc, Files.readString(log));
        assertTrue(n >= 100, "supported scenarios: " + n);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"virtio-net-notify", "split-irqchip", "iobus-no-irqchip-lapic-page-exits", "eventfd-read-empty-blocks-until-write"})
    void representativeHarnessesBuildAndLink(String name) throws Exception {
        Path p = Scenarios.all().stream().filter(f -> f.getFileName().toString().equals(name + ".yaml")).findFirst().orElseThrow();
        Path c = dir.resolve("full-" + name + ".c");
        Files.writeString(c, CHarness.program(Scenarios.load(p)));
        Path log = dir.resolve("full-" + name + ".log");
        int rc = Tools.run(dir, log, List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", "full-" + name, c.getFileName().toString()));
        assertEquals(0, rc, Files.readString(log));
    }

    /** The scenarios the harness cannot run show up as skipped, with the reason. */
    @TestFactory
    Stream<DynamicTest> unsupportedScenariosAreListedWithTheirReason() {
        return Scenarios.all().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            var bad = Support.unsupported(Scenarios.load(p));
            Assumptions.assumeTrue(bad.isEmpty(), () -> "not supported by the harness: " + bad.get(0).render());
        }));
    }
}
