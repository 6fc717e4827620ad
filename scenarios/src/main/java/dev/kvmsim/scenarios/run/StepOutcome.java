package dev.kvmsim.scenarios.run;

import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.StepExpect;

/**
 * The result of one host step while the run goes on: set when the step runs; a step that
 * blocked gets its completion later, when its waiting task is woken.
 */
final class StepOutcome {
    final HostStep step;
    StepExpect result;
    String resultText;
    String completion;

    StepOutcome(HostStep step) {
        this.step = step;
    }

    void set(StepExpect r) {
        this.result = r;
        this.resultText = r.render();
    }

    /** A step's result against its {@code expect}; {@code E} also matches {@code {errno: E, after: 0}}. */
    static boolean matches(StepExpect expected, StepExpect actual) {
        if (expected.equals(actual)) {
            return true;
        }
        return expected instanceof StepExpect.Err e && actual instanceof StepExpect.ErrAfter a && a.after() == 0 && a.errno() == e.errno();
    }

    Report.StepResult toResult() {
        String expected = step.meta().expect().map(StepExpect::render).orElse(null);
        boolean ok;
        if (result == null) {
            ok = expected == null; // a check step (its expectations are reported on their own), or a step the run did not reach
        } else if (step.meta().expect().isPresent()) {
            ok = matches(step.meta().expect().get(), result);
        } else {
            ok = !(result instanceof StepExpect.Err || result instanceof StepExpect.ErrAfter);
        }
        String text = resultText == null ? "not run" : resultText;
        return new Report.StepResult(step.meta().index(), step.meta().loc().line(), step.action().key(), step.meta().at(), text,
                expected, ok, completion);
    }
}
