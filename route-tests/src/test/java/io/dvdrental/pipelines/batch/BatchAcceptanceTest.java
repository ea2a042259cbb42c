package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.ModelGraph;

import io.dvdrental.pipelines.transforms.batch.Model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import software.amazon.awssdk.services.s3.S3Client;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static io.dvdrental.pipelines.batch.BatchTestSupport.step;
import static io.dvdrental.pipelines.batch.BatchTestSupport.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Acceptance on the real dvdrental sample: a full run gives gold whose answers equal the same questions asked of the
 * source in SQL; a second run writes nothing; an incremental run picks up returned rentals and a customer who moved,
 * with SCD2 history.
 */
@BatchSampleTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchAcceptanceTest {

    private static final String RENTALS = "rental r JOIN inventory i ON i.inventory_id = r.inventory_id";
    private static final String COUNTRY_JOIN = "rental r JOIN customer cu ON cu.customer_id = r.customer_id "
            + "JOIN address a ON a.address_id = cu.address_id JOIN city ci ON ci.city_id = a.city_id "
            + "JOIN country co ON co.country_id = ci.country_id";

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouseTemplate;
    @Autowired
    ModelGraph graph;
    @Autowired
    Warehouse warehouseOps;
    @Autowired
    S3Client s3;
    @Value("${dvd.s3.bucket}")
    String bucket;

    JdbcTemplate warehouse;
    static JdbcTemplate source;
    static boolean reset;
    static final Map<String, Warehouse.Checksum> AFTER_FIRST_RUN = new HashMap<>();

    @BeforeAll
    static void restoreSample() throws Exception {
        assumeTrue(SampleSource.available(), "skipped: the dvdrental sample " + SampleSource.dump()
                + " (or /usr/bin/psql) is not on this machine");
        SampleSource.restore();
        source = new JdbcTemplate(new SingleConnectionDataSource(SampleSource.connect(), true));
        reset = true;
    }

    @BeforeEach
    void startFromZero() {
        warehouse = warehouseTemplate.getJdbcTemplate();
        if (reset) {
            BatchTestSupport.resetWarehouseAndState(warehouse, state);
            reset = false;
        }
    }

    @Test
    @Order(1)
    void aFullRunAnswersLikeTheSource() throws Exception {
        Map<String, Object> run = runAndWait(http, Map.of("mode", "full"));
        assertThat(run.get("state")).as("run error: %s", run.get("error")).isEqualTo("SUCCEEDED");
        assertThat(step(run, "extract:rental").get("rows_written")).isEqualTo(16044);
        assertThat(step(run, "extract:payment").get("rows_written")).isEqualTo(14596);

        assertThat(answers("SELECT toString(film_id), count() FROM gold.report_rentals GROUP BY film_id", warehouse))
                .isEqualTo(answers("SELECT i.film_id::text, count(*) FROM " + RENTALS + " GROUP BY 1", source));
        assertThat(answers("SELECT category_name, count() FROM gold.report_rentals GROUP BY category_name", warehouse))
                .isEqualTo(answers("SELECT c.name, count(*) FROM " + RENTALS + " JOIN film_category fc ON "
                        + "fc.film_id = i.film_id JOIN category c ON c.category_id = fc.category_id GROUP BY 1", source));
        assertThat(answers("SELECT rental_day_name, count() FROM gold.report_rentals GROUP BY rental_day_name", warehouse))
                .isEqualTo(answers("SELECT trim(to_char(rental_date, 'Day')), count(*) FROM rental GROUP BY 1", source))
                .hasSize(7);
        assertThat(answers("SELECT country, count() FROM gold.report_rentals GROUP BY country", warehouse))
                .isEqualTo(answers("SELECT co.country, count(*) FROM " + COUNTRY_JOIN + " GROUP BY 1", source));
        assertThat(answers("SELECT country, toString(round(avg(rental_duration_days), 6)) FROM gold.report_rentals "
                + "WHERE is_returned = 1 GROUP BY country", warehouse))
                .isEqualTo(answers("SELECT co.country, trim_scale(round(avg(r.return_date::date - r.rental_date::date), 6))::text "
                        + "FROM " + COUNTRY_JOIN + " WHERE r.return_date IS NOT NULL GROUP BY 1", source));
        assertThat(answers("SELECT concat(toString(film_id), ' ', toString(month_end)), rentals FROM gold.fact_rental_monthly",
                warehouse)).isEqualTo(answers("SELECT i.film_id || ' ' || (date_trunc('month', rental_date) "
                + "+ interval '1 month' - interval '1 day')::date, count(*) FROM " + RENTALS + " GROUP BY 1", source));
        assertThat(warehouse.queryForObject("SELECT count() FROM gold.report_rentals WHERE rental_duration_days = -1 "
                + "AND is_returned = 0 AND return_date IS NULL", Long.class)).isEqualTo(183);

        assertChainOrder((String) run.get("run_id"));
        assertReferenceExported((String) run.get("run_id"));
        for (String model : graph.order()) {
            if (graph.model(model).materialized() == Model.Materialized.TABLE) {
                AFTER_FIRST_RUN.put(model, warehouseOps.checksum(model));
            }
        }
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void aSecondRunWithoutSourceChangesWritesNothing() {
        Map<String, Object> run = runAndWait(http, Map.of());
        assertThat(run.get("state")).as("run error: %s", run.get("error")).isEqualTo("SUCCEEDED");
        for (String model : graph.order()) {
            Map<String, Object> step = step(run, model);
            assertThat(step.get("rows_written")).as("rows written by %s", model).isEqualTo(0);
            assertThat(step.get("state")).as("state of %s", model).isEqualTo("UNCHANGED");
            if (AFTER_FIRST_RUN.containsKey(model)) {
                assertThat(warehouseOps.checksum(model)).as(model).isEqualTo(AFTER_FIRST_RUN.get(model));
            }
        }
        assertThat(step(run, "export:dim_film").get("state")).isEqualTo("UNCHANGED");

        List<Map<String, Object>> latest = BatchTestSupport.operator(http).getForObject("/api/batch/runs?limit=2",
                List.class);
        assertThat(latest).hasSize(2);
        assertThat(latest.get(0)).containsEntry("run_id", run.get("run_id"));
        Map<String, Object> metric = BatchTestSupport.operator(http).getForObject(
                "/actuator/metrics/dvd.batch.step.duration?tag=step:gold.report_rentals", Map.class);
        assertThat(metric).containsEntry("name", "dvd.batch.step.duration");
    }

    @Test
    @Order(3)
    void anIncrementalRunPicksUpReturnsAndAMovedCustomerWithHistory() {
        // Rows within the lookback (10 minutes) before the watermark are read again; silver deduplicates them.
        long inLookback = source.queryForObject("SELECT count(*) FROM rental WHERE last_update > "
                + "(SELECT max(last_update) FROM rental) - interval '10 minutes'", Long.class);
        // 1% of the rentals come back; customer 1 moves to the address of customer 2 (another city).
        int returned = source.update("UPDATE rental SET return_date = rental_date + interval '3 days' WHERE rental_id IN "
                + "(SELECT rental_id FROM rental ORDER BY return_date IS NULL DESC, rental_id LIMIT 160)");
        assertThat(returned).isEqualTo(160);
        String oldCountry = warehouse.queryForObject("SELECT country FROM gold.dim_customer WHERE customer_id = 1", String.class);
        source.update("UPDATE customer SET address_id = (SELECT address_id FROM customer WHERE customer_id = 2) "
                + "WHERE customer_id = 1");
        String newCountry = source.queryForObject("SELECT co.country FROM customer cu JOIN address a USING (address_id) "
                + "JOIN city USING (city_id) JOIN country co USING (country_id) WHERE customer_id = 1", String.class);

        Map<String, Object> run = runAndWait(http, Map.of());
        assertThat(run.get("state")).as("run error: %s", run.get("error")).isEqualTo("SUCCEEDED");
        assertThat(((Number) step(run, "extract:rental").get("rows_read")).longValue()).isBetween(160L, 160L + inLookback);
        assertThat(warehouse.queryForObject("SELECT count() FROM bronze.customer WHERE customer_id = 1", Long.class))
                .isGreaterThanOrEqualTo(2L);
        assertThat(warehouse.queryForObject("SELECT count() FROM gold.report_rentals WHERE is_returned = 0", Long.class))
                .isEqualTo(source.queryForObject("SELECT count(*) FROM rental WHERE return_date IS NULL", Long.class))
                .isEqualTo(23L);
        assertThat(answers("SELECT country, toString(round(avg(rental_duration_days), 6)) FROM gold.report_rentals "
                + "WHERE is_returned = 1 AND customer_id != 1 GROUP BY country", warehouse))
                .isEqualTo(answers("SELECT co.country, trim_scale(round(avg(r.return_date::date - r.rental_date::date), 6))::text "
                        + "FROM " + COUNTRY_JOIN + " WHERE r.return_date IS NOT NULL AND r.customer_id != 1 GROUP BY 1", source));

        List<Map<String, Object>> history = warehouse.queryForList("SELECT country, toString(valid_from) AS valid_from, "
                + "is_current FROM gold.dim_customer_scd2 WHERE customer_id = 1 ORDER BY valid_from");
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).containsEntry("country", oldCountry).containsEntry("valid_from", "1970-01-01 00:00:00.000");
        assertThat(history.get(1)).containsEntry("country", newCountry);
        assertThat(((Number) history.get(1).get("is_current")).intValue()).isEqualTo(1);
        assertThat(warehouse.queryForObject("SELECT country FROM gold.dim_customer WHERE customer_id = 1", String.class))
                .isEqualTo(newCountry);
        // Customer 1's rentals (all in 2005-2006) happened while they lived at the old address.
        assertThat(warehouse.queryForList("SELECT DISTINCT country FROM gold.report_rentals WHERE customer_id = 1",
                String.class)).containsExactly(oldCountry);
    }

    @Test
    @Order(4)
    void anEmailErasedAtTheSourceIsANewVersionInSilverAndGold() {
        String email = source.queryForObject("SELECT email FROM customer WHERE customer_id = 7", String.class);
        assertThat(email).isEqualTo("maria.miller@sakilacustomer.org");
        source.update("UPDATE customer SET email = NULL WHERE customer_id = 7");

        Map<String, Object> run = runAndWait(http, Map.of());
        assertThat(run.get("state")).as("run error: %s", run.get("error")).isEqualTo("SUCCEEDED");

        List<Map<String, Object>> history = warehouse.queryForList("SELECT email, is_current FROM "
                + "silver.dvd_customer_scd2 WHERE customer_id = 7 ORDER BY valid_from");
        assertThat(history).extracting(v -> v.get("email")).containsExactly(email, null);
        assertThat(history).extracting(v -> ((Number) v.get("is_current")).intValue()).containsExactly(0, 1);
        assertThat(warehouse.queryForList("SELECT email FROM silver.dvd_customer WHERE customer_id = 7", String.class))
                .containsExactly((String) null);
        assertThat(warehouse.queryForList("SELECT email FROM gold.dim_customer WHERE customer_id = 7", String.class))
                .containsExactly((String) null);
    }

    /** Every extract ends before silver starts, silver before gold, gold before quality, quality before export. */
    private void assertChainOrder(String runId) {
        List<Map<String, Object>> steps = state.queryForList("SELECT step, kind, started_at, finished_at FROM batch_step "
                + "WHERE run_id = ? ORDER BY started_at", runId);
        List<String> stages = List.of("extract", "quarantine", "silver", "gold", "quality", "export");
        for (int i = 0; i + 1 < stages.size(); i++) {
            Timestamp endOfStage = latest(steps, stages.get(i), "finished_at");
            Timestamp startOfNext = earliest(steps, stages.get(i + 1));
            assertThat(endOfStage).as("%s ends before %s starts", stages.get(i), stages.get(i + 1))
                    .isBeforeOrEqualTo(startOfNext);
        }
    }

    private static String stage(Map<String, Object> step) {
        String name = (String) step.get("step");
        return name.startsWith("silver.") ? "silver" : name.startsWith("gold.") ? "gold"
                : name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    }

    private static Timestamp latest(List<Map<String, Object>> steps, String stage, String column) {
        return steps.stream().filter(s -> stage.equals(stage(s))).map(s -> (Timestamp) s.get(column))
                .max(Timestamp::compareTo).orElseThrow(() -> new AssertionError("no " + stage + " step"));
    }

    private static Timestamp earliest(List<Map<String, Object>> steps, String stage) {
        return steps.stream().filter(s -> stage.equals(stage(s))).map(s -> (Timestamp) s.get("started_at"))
                .min(Timestamp::compareTo).orElseThrow(() -> new AssertionError("no " + stage + " step"));
    }

    @SuppressWarnings("unchecked")
    private void assertReferenceExported(String runId) throws Exception {
        String latest = s3.getObjectAsBytes(b -> b.bucket(bucket).key("reference/dim_film/latest.json")).asUtf8String();
        Map<String, Object> pointer = new ObjectMapper().readValue(latest, Map.class);
        assertThat(pointer).containsEntry("version", runId).containsEntry("rows", 1000)
                .containsEntry("csv", "reference/dim_film/" + runId + "/dim_film.csv")
                .containsEntry("jsonl", "reference/dim_film/" + runId + "/dim_film.jsonl").containsKey("exportedAt");
        String csv = s3.getObjectAsBytes(b -> b.bucket(bucket).key((String) pointer.get("csv"))).asUtf8String();
        assertThat(csv.lines().findFirst()).contains("film_id,title,category,rating,length,release_year,rental_duration");
        assertThat(csv.lines().count()).isEqualTo(1001);
        String jsonl = s3.getObjectAsBytes(b -> b.bucket(bucket).key((String) pointer.get("jsonl"))).asUtf8String();
        Map<String, Object> first = new ObjectMapper().readValue(jsonl.lines().findFirst().orElseThrow(), Map.class);
        assertThat(first).containsEntry("film_id", 1).containsEntry("title", "Academy Dinosaur")
                .containsEntry("category", "Documentary").containsEntry("rating", "PG").containsEntry("length", 86)
                .containsEntry("release_year", 2006).containsEntry("rental_duration", 6);
    }

    private static Map<String, String> answers(String sql, JdbcTemplate db) {
        Map<String, String> answers = new HashMap<>();
        db.query(sql, rs -> {
            answers.put(rs.getString(1), rs.getString(2));
        });
        return answers;
    }
}
