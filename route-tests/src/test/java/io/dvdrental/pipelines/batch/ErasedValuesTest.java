package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.assertSucceeded;
import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value erased to NULL at the source (a GDPR erasure, a cleared field) reaches silver and gold like any other
 * change: a new SCD2 version, the current rows, every model that carries the column. On the generated source, so it
 * runs without the dvdrental sample ({@code BatchAcceptanceTest} repeats the customer case on the sample).
 */
@RealServicesTest
class ErasedValuesTest extends GeneratedSourceRuns {

    @Test
    void anErasedEmailIsANewCustomerVersionAndTheNextChangesAreToo() throws Exception {
        startFromAFullRun(11);
        String email = source.queryForObject("SELECT email FROM customer WHERE customer_id = 7", String.class);
        Integer active = source.queryForObject("SELECT active FROM customer WHERE customer_id = 7", Integer.class);
        assertThat(email).isNotNull();
        assertThat(active).isNotNull();

        source.update("UPDATE customer SET email = NULL WHERE customer_id = 7");
        assertSucceeded(runAndWait(http, Map.of()));

        List<Map<String, Object>> history = history(warehouse);
        assertThat(history).extracting(v -> v.get("email")).containsExactly(email, null);
        assertThat(history).extracting(v -> ((Number) v.get("is_current")).intValue()).containsExactly(0, 1);
        assertThat(warehouse.queryForList("SELECT email FROM silver.dvd_customer WHERE customer_id = 7", String.class))
                .containsExactly((String) null);
        assertThat(warehouse.queryForList("SELECT email FROM gold.dim_customer WHERE customer_id = 7", String.class))
                .containsExactly((String) null);
        assertThat(warehouse.queryForList("SELECT email FROM gold.dim_customer_scd2 WHERE customer_id = 7 "
                + "AND is_current = 1", String.class)).containsExactly((String) null);

        // The version before this change holds a NULL: the change is still seen, and so is the email coming back.
        source.update("UPDATE customer SET last_name = 'Erased' WHERE customer_id = 7");
        assertSucceeded(runAndWait(http, Map.of()));
        source.update("UPDATE customer SET email = 'back@example.org', active = NULL WHERE customer_id = 7");
        assertSucceeded(runAndWait(http, Map.of()));

        history = history(warehouse);
        assertThat(history).extracting(v -> v.get("email")).containsExactly(email, null, null, "back@example.org");
        assertThat(history).extracting(v -> v.get("active")).containsExactly(active, active, active, null);
        assertThat(history).extracting(v -> ((Number) v.get("is_current")).intValue()).containsExactly(0, 0, 0, 1);
        assertThat(warehouse.queryForMap("SELECT email, last_name, active FROM gold.dim_customer WHERE customer_id = 7"))
                .containsEntry("email", "back@example.org").containsEntry("last_name", "Erased")
                .containsEntry("active", null);
    }

    @Test
    void valuesErasedInFilmsAddressesAndRentalsReachEveryModelThatCarriesThem() throws Exception {
        startFromAFullRun(12);
        long returned = source.queryForObject("SELECT min(rental_id) FROM rental WHERE return_date IS NOT NULL",
                Long.class);
        long film = source.queryForObject("SELECT i.film_id FROM rental r JOIN inventory i USING (inventory_id) "
                + "GROUP BY i.film_id ORDER BY count(*) DESC, i.film_id LIMIT 1", Long.class);
        long address = source.queryForObject("SELECT min(address_id) FROM address WHERE postal_code IS NOT NULL",
                Long.class);

        source.update("UPDATE film SET rating = NULL, length = NULL, release_year = NULL WHERE film_id = ?", film);
        source.update("UPDATE address SET postal_code = NULL, address2 = NULL WHERE address_id = ?", address);
        source.update("UPDATE rental SET return_date = NULL WHERE rental_id = ?", returned);
        source.update("UPDATE staff SET email = NULL WHERE staff_id = 1");
        assertSucceeded(runAndWait(http, Map.of()));

        assertThat(warehouse.queryForMap("SELECT rating, length, release_year FROM silver.dvd_film WHERE film_id = ?",
                film))
                .containsEntry("rating", null).containsEntry("length", null).containsEntry("release_year", null);
        assertThat(warehouse.queryForMap("SELECT rating, length, release_year FROM gold.dim_film WHERE film_id = ?",
                film))
                .containsEntry("rating", null).containsEntry("length", null).containsEntry("release_year", null);
        assertThat(warehouse.queryForList("SELECT DISTINCT rating FROM gold.report_rentals WHERE film_id = ?",
                String.class, film)).containsExactly((String) null);
        assertThat(warehouse.queryForMap("SELECT postal_code, address2 FROM gold.dim_address WHERE address_id = ?",
                address)).containsEntry("postal_code", null).containsEntry("address2", null);
        assertThat(warehouse.queryForMap("SELECT return_date, is_returned, rental_duration_days FROM gold.report_rentals "
                + "WHERE rental_id = ?", returned)).containsEntry("return_date", null)
                .containsEntry("rental_duration_days", -1);
        assertThat(warehouse.queryForObject("SELECT is_returned FROM gold.fact_rental WHERE rental_id = ?",
                Integer.class, returned)).isZero();
        assertThat(warehouse.queryForList("SELECT email FROM silver.dvd_staff WHERE staff_id = 1", String.class))
                .containsExactly((String) null);
    }

    private static List<Map<String, Object>> history(JdbcTemplate warehouse) {
        return warehouse.queryForList("SELECT email, last_name, active, is_current FROM silver.dvd_customer_scd2 "
                + "WHERE customer_id = 7 ORDER BY valid_from");
    }

}
