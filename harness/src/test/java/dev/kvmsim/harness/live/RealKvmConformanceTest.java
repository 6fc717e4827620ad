package dev.kvmsim.harness.live;

import dev.kvmsim.harness.Scenarios;
import dev.kvmsim.harness.Tools;
import dev.kvmsim.harness.Verification;
import dev.kvmsim.harness.compare.HostQuirks;
import dev.kvmsim.harness.gen.Support;
import dev.kvmsim.harness.results.RunResults;
import dev.kvmsim.scenarios.model.Scenario;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole conformance suite on the real kernel: each supported file's harness is built
 * with cc and run on /dev/kvm, and must agree with the model (or differ only where the file
 * marks a known host quirk, docs/harness.md). Runs only with {@code mvn verify -Preal-kvm};
 * skipped, with the reason, where /dev/kvm is not usable or cc is missing.
 */
@Tag("real-kvm")
class RealKvmConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyConformanceScenarioAgreesWithTheRealKernel() {
        return Scenarios.files("conformance").stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Assumptions.assumeTrue(KvmHost.usable(), () -> "skipped: " + KvmHost.device() + " is not usable on this machine");
            Tools.assumeOnPath(LiveRun.compiler());
            Scenario s = Scenarios.load(p);
            var bad = Support.unsupported(s);
            Assumptions.assumeTrue(bad.isEmpty(), () -> "not supported by the harness: " + bad.get(0).render());
            Path work = Path.of("target", "real-kvm");
            RunResults kernel = new LiveRun(work, 120).run(s);
            Verification v = Verification.of(p.toString(), s, kernel, HostQuirks.parse(Files.readString(p)));
            assertEquals(Verification.Status.AGREE, v.status(), String.join("\n", v.render()));
        }));
    }
}
