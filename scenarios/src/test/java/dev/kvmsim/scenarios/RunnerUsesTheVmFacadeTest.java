package dev.kvmsim.scenarios;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code KvmVm} is the one door from {@code scenarios} into {@code sim-kvm}: the runner calls
 * its ioctls and queries and the host's descriptor table (eventfd2, read, write, close, the
 * in-kernel signal), and never holds a vCPU, a bus, the irqchip, the irqfds, the workqueues,
 * the kernel environment, the VMM model or an eventfd context. A source scan of the module's
 * main code, so that a new reach past the facade fails the build.
 */
class RunnerUsesTheVmFacadeTest {
    /** Types behind the facade. */
    private static final Pattern INTERNAL_IMPORT = Pattern.compile(
            "^import dev\\.kvmsim\\.kvm\\.(vcpu\\.Vcpu|eventfd\\.(CtxResult|WaitQueue\\w*|PollTask)|kernel\\.\\w+|irq\\.KvmIrqchip|irqfd\\.(Irqfds|Irqfd)"
                    + "|ioeventfd\\.(Ioeventfds|Ioeventfd)|iobus\\.KvmIoBus|irqchip\\.\\w+|workqueue\\.\\w+);",
            Pattern.MULTILINE);
    /** Getters of KvmVm and FdTable that hand out internal objects ({@code scenario.vm()} is the model's VmSpec). */
    private static final Pattern INTERNAL_CALL = Pattern.compile(
            "(?<!scenario\\.)\\bvm(\\(\\))?\\.(kernel|env|vcpu|vcpus|userspaceVmm|irqchip|irqfds|ioeventfds|bus|coalescedRing|systemWorkqueue)\\("
                    + "|\\bfds(\\(\\))?\\.(kernel|env|eventfd|eventfdCtxFdget)\\(");

    @Test
    void theRunnerReachesTheKvmModelOnlyThroughTheVmFacade() throws IOException {
        List<String> hits = new ArrayList<>();
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (INTERNAL_IMPORT.matcher(l).find() || INTERNAL_CALL.matcher(l).find()) {
                        hits.add(main.relativize(f) + ":" + (i + 1) + ": " + l.strip());
                    }
                }
            }
        }
        assertTrue(hits.size() == 0, "use KvmVm's ioctls and queries instead:\n" + String.join("\n", hits));
    }

    @Test
    void theScanRecognisesAReachPastTheFacade() {
        assertTrue(INTERNAL_CALL.matcher("Vcpu v = run.vm().vcpu(x.vcpu());").find());
        assertTrue(INTERNAL_CALL.matcher("ctxOf.put(e.name(), fds.eventfd(fd));").find());
        assertTrue(INTERNAL_IMPORT.matcher("import dev.kvmsim.kvm.kernel.Kernel;").find());
        assertTrue(INTERNAL_CALL.matcher("Kernel kernel = run.vm().kernel();").find());
        assertTrue(!INTERNAL_CALL.matcher("long n = run.vm().delivered(x.vcpu(), x.vector());").find());
        assertTrue(!INTERNAL_CALL.matcher("int cpu = scenario.vm().vcpus();").find());
    }
}
