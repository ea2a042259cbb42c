package io.dvdrental.pipelines.insights;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The batch pipeline's last run, per step, as {@code /api/pipelines} shows it. Implemented by the batch side. */
public interface BatchRunStatusSource {

    Optional<Run> lastRun();

    record Run(String runId, String status, Instant startedAt, Instant finishedAt, List<Step> steps) {
    }

    record Step(String step, String status, Instant startedAt, Instant finishedAt, Long rows, String error) {
    }
}
