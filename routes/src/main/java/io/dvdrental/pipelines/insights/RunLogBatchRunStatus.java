package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.batch.BatchRunQueries;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The last batch run and its steps for {@code /api/pipelines}, read from the batch pipeline's run records. */
@Component
public class RunLogBatchRunStatus implements BatchRunStatusSource {

    private final BatchRunQueries runs;

    public RunLogBatchRunStatus(BatchRunQueries runs) {
        this.runs = runs;
    }

    @Override
    public Optional<Run> lastRun() {
        return runs.runs(1).stream().findFirst()
                .flatMap(latest -> runs.run((String) latest.get("run_id")))
                .map(RunLogBatchRunStatus::run);
    }

    @Override
    public Map<String, PipelineGraph.StepRun> latestSteps() {
        Map<String, PipelineGraph.StepRun> latest = new LinkedHashMap<>();
        for (Map<String, Object> s : runs.latestSteps()) {
            latest.put((String) s.get("step"), new PipelineGraph.StepRun((String) s.get("step"),
                    (String) s.get("run_id"), (String) s.get("state"), instant(s.get("finished_at")),
                    s.get("duration_ms") == null ? null : ((Number) s.get("duration_ms")).longValue(),
                    (String) s.get("error")));
        }
        return latest;
    }

    @SuppressWarnings("unchecked")
    private static Run run(Map<String, Object> run) {
        List<Step> steps = ((List<Map<String, Object>>) run.get("steps")).stream()
                .map(s -> new Step((String) s.get("step"), (String) s.get("state"), instant(s.get("started_at")),
                        instant(s.get("finished_at")), s.get("rows_written") == null ? null
                        : ((Number) s.get("rows_written")).longValue(), (String) s.get("error")))
                .toList();
        return new Run((String) run.get("run_id"), (String) run.get("state"), instant(run.get("started_at")),
                instant(run.get("finished_at")), steps);
    }

    private static Instant instant(Object timestamp) {
        return timestamp == null ? null : ((Timestamp) timestamp).toInstant();
    }
}
