package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.assertSucceeded;
import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static io.dvdrental.pipelines.batch.BatchTestSupport.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a run does not do again: a model whose upstreams and SQL did not change is not rebuilt, foreign keys whose
 * bronze tables did not change are not looked at again, a check whose inputs did not change takes over its last
 * result, and an unchanged dim_film is not exported again. dim_date reads the calendar: it is always rebuilt. On the
 * generated source.
 */
@RealServicesTest
class UnchangedInputsTest extends GeneratedSourceRuns {

    private static final String NOT_REBUILT = "not rebuilt: its upstreams and SQL did not change since it was built";
    private static final String SAME_CONTENT = "rebuilt: same content";
    private static final String DIM_DATE = "gold.dim_date";

    @Autowired
    ModelGraph graph;

    @Test
    void aRerunWithoutSourceChangesRebuildsNothing() throws Exception {
        startFromAFullRun(51);
        Map<String, Object> rerun = runAndWait(http, Map.of());
        assertSucceeded(rerun);
        for (String model : graph.order()) {
            assertThat(step(rerun, model)).as(model).containsEntry("state", "UNCHANGED")
                    .containsEntry("rows_written", 0)
                    .containsEntry("error", model.equals(DIM_DATE) ? SAME_CONTENT : NOT_REBUILT);
        }
        assertThat(step(rerun, "quarantine")).containsEntry("state", "UNCHANGED");
        assertThat(step(rerun, "quality")).containsEntry("state", "SUCCEEDED");
        assertThat(qualityDetails(rerun, "unique")).isNotEmpty()
                .allMatch(detail -> detail != null && detail.startsWith("carried over from run "));
        assertThat(qualityDetails(rerun, "freshness")).as("the clock moves on: evaluated").hasSize(15)
                .containsOnlyNulls();
        assertThat(step(rerun, "export:dim_film")).containsEntry("state", "UNCHANGED");
    }

    @Test
    void aChangedRentalRebuildsTheModelsThatReadRentalsAndNothingElse() throws Exception {
        startFromAFullRun(52);
        new JdbcTemplate(sourceDataSource).update("UPDATE rental SET return_date = rental_date + interval '3 days' "
                + "WHERE rental_id = 10");
        Map<String, Object> run = runAndWait(http, Map.of());
        assertSucceeded(run);
        assertThat(step(run, "extract:rental")).containsEntry("rows_read", 1);
        List<String> rebuilt = graph.withDownstream(List.of("bronze.rental"));
        assertThat(rebuilt).contains("silver.dvd_rental", "gold.fact_rental", "gold.report_rentals");
        for (String model : graph.order()) {
            Map<String, Object> step = step(run, model);
            if (rebuilt.contains(model)) {
                assertThat(step.get("error")).as(model).isNotEqualTo(NOT_REBUILT);
            } else if (!model.equals(DIM_DATE)) {
                assertThat(step).as(model).containsEntry("state", "UNCHANGED")
                        .containsEntry("error", NOT_REBUILT);
            }
        }
        assertThat(step(run, "gold.fact_rental")).containsEntry("state", "SUCCEEDED");
        assertThat(warehouseTemplate.getJdbcTemplate().queryForObject("SELECT rental_duration_days FROM "
                + "gold.report_rentals WHERE rental_id = 10", Integer.class)).isEqualTo(3);
    }

    @SuppressWarnings("unchecked")
    private static List<String> qualityDetails(Map<String, Object> run, String check) {
        return ((List<Map<String, Object>>) run.get("quality")).stream()
                .filter(q -> q.get("check_name").toString().startsWith(check))
                .map(q -> (String) q.get("detail")).toList();
    }

}
