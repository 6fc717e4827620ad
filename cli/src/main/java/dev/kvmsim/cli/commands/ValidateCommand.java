package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.ScenarioLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kvmsim validate FILE...}: load and check files without running them. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check scenario files (structure, types, names, references) without running them. "
                + "Prints 'FILE: ok' for each valid file and every error as file:line:col on standard error.",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim validate my-scenario.yaml", "  kvmsim validate scenarios/*.yaml",
                "", "Exit codes: 0 every file is valid, 2 some file is not."})
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files (.yaml, .yml, .json) or built-in names.")
    List<String> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int rc = ExitCode.OK;
        for (String f : files) {
            LoadResult r = ScenarioLoader.load(f);
            if (r.ok()) {
                out.println(f + ": ok");
            } else {
                ScenarioFiles.lines(r.errors()).forEach(l -> err.println("kvmsim: " + l));
                rc = ExitCode.INVALID;
            }
        }
        out.flush();
        err.flush();
        return rc;
    }
}
