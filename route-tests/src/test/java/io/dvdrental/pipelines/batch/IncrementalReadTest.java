package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.assertSucceeded;
import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental reads lose nothing the source committed: a row stamped in the future (a skewed clock, a source without
 * the last_updated trigger) does not move the watermark past later updates; a row whose cursor is NULL is read;
 * a payment whose id committed after a higher id is read. On the generated source.
 */
@RealServicesTest
class IncrementalReadTest extends GeneratedSourceRuns {

    @Test
    void aRowStampedInTheFutureDoesNotHideLaterUpdates() throws Exception {
        startFromAFullRun(31);
        // Written by a client whose clock is two hours ahead, without the trigger (an INSERT keeps what it is given).
        source.update("INSERT INTO country (country_id, country, last_update) VALUES (9001, 'Skewed Clock', "
                + "localtimestamp + interval '2 hours')");
        assertSucceeded(runAndWait(http, Map.of()));
        assertThat(silverCountry(9001)).isEqualTo("Skewed Clock");
        assertThat(state.queryForObject("SELECT cursor_value <= localtimestamp FROM batch_watermark "
                + "WHERE table_name = 'country'", Boolean.class)).as("the watermark is not in the future").isTrue();

        source.update("UPDATE country SET country = 'Renamed Now' WHERE country_id = 5");
        assertSucceeded(runAndWait(http, Map.of()));
        assertThat(silverCountry(5)).isEqualTo("Renamed Now");
    }

    @Test
    void aCustomerWithoutLastUpdateIsRead() throws Exception {
        startFromAFullRun(32);
        // Imported with its creation date only: its cursor (last_update, else create_date) lies far behind.
        long id = source.queryForObject("INSERT INTO customer (store_id, first_name, last_name, email, address_id, "
                + "activebool, create_date, last_update, active) VALUES (1, 'Null', 'Cursor', 'null@example.org', 5, "
                + "true, '2006-02-14', NULL, 1) RETURNING customer_id", Long.class);
        assertSucceeded(runAndWait(http, Map.of()));
        assertThat(warehouse.queryForList("SELECT last_name FROM silver.dvd_customer WHERE customer_id = ?",
                String.class, id)).containsExactly("Cursor");
    }

    @Test
    void aPaymentWhoseIdCommitsAfterAHigherOneIsRead() throws Exception {
        startFromAFullRun(33);
        long rental = source.queryForObject("SELECT max(rental_id) FROM rental", Long.class);
        String insert = "INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) "
                + "SELECT customer_id, staff_id, rental_id, 4.99, localtimestamp FROM rental WHERE rental_id = "
                + rental + " RETURNING payment_id";
        try (Connection slow = sourceDataSource.getConnection()) {
            slow.setAutoCommit(false);
            long early;
            try (Statement s = slow.createStatement(); ResultSet rs = s.executeQuery(insert)) {
                rs.next();
                early = rs.getLong(1);
            }
            long late = source.queryForObject(insert, Long.class);
            assertThat(late).isGreaterThan(early);
            assertSucceeded(runAndWait(http, Map.of()));
            assertThat(paymentsInSilver(late)).isEqualTo(1);

            slow.commit();
            assertSucceeded(runAndWait(http, Map.of()));
            assertThat(paymentsInSilver(early)).as("payment %d, committed after %d", early, late).isEqualTo(1);
        }
    }

    @Test
    void aRowCommittedLateWithAnOlderLastUpdateIsRead() throws Exception {
        startFromAFullRun(34);
        try (Connection slow = sourceDataSource.getConnection()) {
            slow.setAutoCommit(false);
            try (Statement s = slow.createStatement()) {
                // The trigger stamps last_update with the transaction's start, before the update below.
                s.executeUpdate("UPDATE country SET country = 'Committed Late' WHERE country_id = 7");
            }
            source.update("UPDATE country SET country = 'Committed First' WHERE country_id = 8");
            assertSucceeded(runAndWait(http, Map.of()));
            assertThat(silverCountry(8)).isEqualTo("Committed First");
            slow.commit();
        }
        assertThat(source.queryForObject("SELECT last_update FROM country WHERE country_id = 7", Timestamp.class))
                .as("stamped before the watermark the last read left")
                .isBefore(state.queryForObject("SELECT cursor_value FROM batch_watermark WHERE table_name = 'country'",
                        Timestamp.class));
        assertSucceeded(runAndWait(http, Map.of()));
        assertThat(silverCountry(7)).as("committed after the last read, stamped before its watermark")
                .isEqualTo("Committed Late");
    }

    @Test
    void aRerunWithoutSourceChangesReadsNoRow() throws Exception {
        startFromAFullRun(35);
        Map<String, Object> rerun = runAndWait(http, Map.of());
        assertSucceeded(rerun);
        assertThat(BatchTestSupport.steps(rerun).stream().filter(s -> "extract".equals(s.get("kind")))
                .map(s -> s.get("step") + " " + s.get("rows_read")))
                .hasSize(15).allMatch(s -> s.endsWith(" 0"));
    }

    private String silverCountry(int id) {
        return warehouse.queryForObject("SELECT country FROM silver.dvd_country WHERE country_id = ?", String.class, id);
    }

    private long paymentsInSilver(long paymentId) {
        return warehouse.queryForObject("SELECT count() FROM silver.dvd_payment WHERE payment_id = ?", Long.class,
                paymentId);
    }

}
