package io.dvdrental.pipelines.insights;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The batch pipeline's last run, per step, as {@code /api/pipelines} shows it. Implemented by the batch side. */
public interface BatchRunStatusSource {

    Optional<Run> lastRun();

    /** The newest record of every step, by step name, whatever run it was in. */
    Map<String, PipelineGraph.StepRun> latestSteps();

    record Run(String runId, String status, Instant startedAt, Instant finishedAt, List<Step> steps) {

        /** The same run with states and figures only: what callers other than the operator see. */
        public Run withoutErrors() {
            return new Run(runId, status, startedAt, finishedAt, steps.stream()
                    .map(s -> new Step(s.step(), s.status(), s.startedAt(), s.finishedAt(), s.rows(), null)).toList());
        }
    }

    record Step(String step, String status, Instant startedAt, Instant finishedAt, Long rows, String error) {
    }
}
