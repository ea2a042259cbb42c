package io.dvdrental.pipelines.batch;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Batch runs as the API shows them (reads of the state database through its pool; {@link RunLog} writes them). */
@Component
public class BatchRunQueries {

    private final JdbcTemplate state;

    public BatchRunQueries(JdbcTemplate state) {
        this.state = state;
    }

    /** One run with every step and quality result. */
    public Optional<Map<String, Object>> run(String runId) {
        List<Map<String, Object>> runs = state.queryForList("SELECT run_id, trigger, mode, scope, tables, range_from, "
                + "range_to, state, error, started_at, finished_at FROM batch_run WHERE run_id = ?", runId);
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> run = new LinkedHashMap<>(runs.get(0));
        run.put("steps", state.queryForList("SELECT step, kind, state, rows_read, rows_written, duration_ms, "
                + "started_at, finished_at, error FROM batch_step WHERE run_id = ? ORDER BY started_at, step", runId));
        run.put("quality", state.queryForList("SELECT check_name, target, severity, status, observed, detail "
                + "FROM batch_dq_result WHERE run_id = ? ORDER BY check_name, target", runId));
        return Optional.of(run);
    }

    /** The latest runs, newest first, without their steps. */
    public List<Map<String, Object>> runs(int limit) {
        return state.queryForList("SELECT run_id, trigger, mode, scope, tables, state, error, started_at, finished_at "
                + "FROM batch_run ORDER BY started_at DESC LIMIT ?", limit);
    }

    /** The newest record of every step, whatever run it was in: the state of each node of the pipelines page. */
    public List<Map<String, Object>> latestSteps() {
        return state.queryForList("SELECT DISTINCT ON (step) step, run_id, state, duration_ms, finished_at, error "
                + "FROM batch_step ORDER BY step, started_at DESC");
    }
}
