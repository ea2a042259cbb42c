package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows deleted at the source stay in the warehouse (deletes are not propagated), so the warehouse holds more keys
 * than the source. That is a warning on the run, never a failure: a failed check would stop gold for every later run.
 * On the generated source, so it runs without the dvdrental sample.
 */
@RealServicesTest
class SourceDeletesTest {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Autowired
    @Qualifier("sourceDataSource")
    DataSource sourceDataSource;
    @Autowired
    @Qualifier("sourceJdbcTemplate")
    NamedParameterJdbcTemplate sourceTemplate;

    @Test
    void rentalsDeletedAtTheSourceWarnAndTheNextRunStaysGreen() throws Exception {
        BatchTestSupport.resetWarehouseAndState(warehouse.getJdbcTemplate(), state);
        SourceSchema.migrate(sourceDataSource);
        SourceSeeder.seed(sourceDataSource, new SeedPlan(7, 0.1), SourceSeeder.WhenNotEmpty.REPLACE);
        assertThat(runAndWait(http, Map.of("mode", "full")).get("state")).isEqualTo("SUCCEEDED");

        JdbcTemplate source = sourceTemplate.getJdbcTemplate();
        List<Long> deleted = source.queryForList("SELECT rental_id FROM public.rental ORDER BY rental_id LIMIT 5",
                Long.class);
        String ids = deleted.toString().replaceAll("[\\[\\] ]", "");
        source.update("DELETE FROM public.payment WHERE rental_id IN (" + ids + ")");
        source.update("DELETE FROM public.rental WHERE rental_id IN (" + ids + ")");
        long sourceRentals = source.queryForObject("SELECT count(*) FROM public.rental", Long.class);

        Map<String, Object> next = runAndWait(http, Map.of());

        assertThat(next.get("state")).as("run after the deletes: %s", next).isEqualTo("SUCCEEDED");
        Map<String, Object> deletes = quality(next, "source_deletes");
        assertThat(deletes).containsEntry("severity", "warn").containsEntry("status", "WARN");
        assertThat((String) deletes.get("observed")).contains("source " + sourceRentals + ",")
                .contains("bronze+quarantine " + (sourceRentals + deleted.size()));
        assertThat(quality(next, "reconcile_source_bronze")).containsEntry("status", "PASS");
        // The deleted rentals are still reported: the warehouse keeps what it has seen.
        assertThat(warehouse.getJdbcTemplate().queryForObject("SELECT count() FROM gold.fact_rental WHERE rental_id IN ("
                + ids + ")", Long.class)).isEqualTo(deleted.size());
    }

    /** The rental row of one check in the run's quality results, as GET /api/batch/runs/{id} shows them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> quality(Map<String, Object> run, String check) {
        return ((List<Map<String, Object>>) run.get("quality")).stream()
                .filter(q -> check.equals(q.get("check_name")) && "rental".equals(q.get("target"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " result for rental in " + run.get("quality")));
    }
}
