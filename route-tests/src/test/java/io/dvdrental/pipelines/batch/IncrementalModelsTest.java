package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.dvdrental.pipelines.batch.BatchTestSupport.assertSucceeded;
import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static io.dvdrental.pipelines.batch.BatchTestSupport.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an incremental run does with a few changed rows: it looks at the foreign keys of the rows it loaded (and of
 * the rows quarantined, when their parent's table changed), and rebuilds the rows of the changed rentals in the
 * models downstream of them; what it leaves equals what a full run builds. On the generated source.
 */
@RealServicesTest
class IncrementalModelsTest extends GeneratedSourceRuns {

    private static final List<String> RENTAL_MODELS = List.of("silver.dvd_rental", "silver.dvd_payment",
            "gold.fact_rental", "gold.fact_rental_monthly", "gold.report_rentals");

    @Test
    void afterRentalsChangeTheIncrementalRunRebuildsTheirRowsAndGoldEqualsAFullRun() throws Exception {
        startFromAFullRun(61);
        // One rental moves to another month, one is returned later, one is new.
        source.update("UPDATE rental SET rental_date = rental_date + interval '40 days', "
                + "return_date = return_date + interval '40 days' WHERE rental_id = 11");
        source.update("UPDATE rental SET return_date = coalesce(return_date, rental_date) + interval '2 days' "
                + "WHERE rental_id = 12");
        source.update("INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) "
                + "SELECT rental_date + interval '1 hour', inventory_id, customer_id, staff_id FROM rental "
                + "WHERE rental_id = 13");

        Map<String, Object> run = runAndWait(http, Map.of());
        assertSucceeded(run);
        // The rentals the run loaded are the changed keys: no model downstream of them is rebuilt whole.
        for (String model : List.of("silver.dvd_rental", "gold.fact_rental", "gold.report_rentals")) {
            assertThat(step(run, model)).as(model).containsEntry("state", "SUCCEEDED")
                    .containsEntry("rows_written", 3)
                    .containsEntry("error", "rebuilt the rows of 3 keys whose upstream rows changed");
        }
        // Rentals per film and month: the months the changed rentals were in and are in now, not every month; the
        // later return (same film, same month) changes no count.
        assertThat(step(run, "gold.fact_rental_monthly")).containsEntry("state", "SUCCEEDED")
                .hasEntrySatisfying("rows_written", written -> assertThat((Integer) written).isBetween(1, 3))
                .hasEntrySatisfying("error", note -> assertThat((String) note).startsWith("rebuilt the rows of ")
                        .endsWith(" keys whose upstream rows changed"));
        // No payment is looked at again: silver.dvd_payment reads bronze.rental only as the rentals it knows, and
        // the new rental has no payment yet (a rental new to bronze names its payments, see below).
        assertThat(step(run, "silver.dvd_payment")).containsEntry("state", "UNCHANGED")
                .containsEntry("rows_read", 0).containsEntry("error", "rebuilt: same content (0 keys looked at)");
        assertThat(quality(run, "unique(rental_id)", "gold.report_rentals")).containsEntry("status", "PASS")
                .hasEntrySatisfying("detail", detail -> assertThat((String) detail)
                        .startsWith("over the rows of the keys this run changed"));
        Map<String, String> incremental = checksums();

        assertSucceeded(runAndWait(http, Map.of("mode", "full")));
        assertThat(incremental).isEqualTo(checksums());
    }

    @Test
    void aCustomerWhoMovedToAnotherCountryShowsItInTheReportAfterAnIncrementalRun() throws Exception {
        startFromAFullRun(62);
        Map<String, Object> mover = source.queryForMap("SELECT c.customer_id, co.country_id FROM customer c "
                + "JOIN address a USING (address_id) JOIN city ci USING (city_id) JOIN country co USING (country_id) "
                + "ORDER BY c.customer_id LIMIT 1");
        Map<String, Object> elsewhere = source.queryForMap("SELECT a.address_id, co.country FROM address a "
                + "JOIN city ci USING (city_id) JOIN country co USING (country_id) WHERE co.country_id <> ? "
                + "ORDER BY a.address_id LIMIT 1", mover.get("country_id"));
        source.update("UPDATE customer SET address_id = ? WHERE customer_id = ?", elsewhere.get("address_id"),
                mover.get("customer_id"));
        // A rental after the move (rental dates have whole seconds), so the customer's new version is the one it sees.
        long rental = source.queryForObject("INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) "
                + "SELECT now() + interval '5 seconds', inventory_id, ?, staff_id FROM rental WHERE rental_id = 1 RETURNING rental_id",
                Long.class, mover.get("customer_id"));

        assertSucceeded(runAndWait(http, Map.of()));
        assertThat(warehouse.queryForObject("SELECT country FROM gold.report_rentals WHERE rental_id = ?",
                String.class, rental)).isEqualTo(elsewhere.get("country"));
        Map<String, String> incremental = checksums();

        assertSucceeded(runAndWait(http, Map.of("mode", "full")));
        assertThat(incremental).isEqualTo(checksums());
    }

    @Test
    void theQuarantineLooksAtTheRowsOfTheRunAndAgreesWithAFullRun() throws Exception {
        startFromAFullRun(63);
        long bronzeRentals = warehouse.queryForObject("SELECT count() FROM bronze.rental", Long.class);
        source.execute("ALTER TABLE rental DROP CONSTRAINT IF EXISTS rental_customer_id_fkey");
        source.update("INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, staff_id) "
                + "SELECT 90001, rental_date, inventory_id, 30001, staff_id FROM rental WHERE rental_id = 1");
        source.update("UPDATE rental SET return_date = coalesce(return_date, rental_date) + interval '1 day' "
                + "WHERE rental_id = 2");

        Map<String, Object> run = runAndWait(http, Map.of());
        assertSucceeded(run);
        assertThat(quarantined()).contains("rental:90001:unknown customer_id 30001");
        assertThat((Integer) step(run, "quarantine").get("rows_read")).as("rental rows looked at, per foreign key")
                .isPositive().isLessThan(20).isLessThan((int) bronzeRentals);
        assertThat(quarantined()).isEqualTo(quarantinedByAFullRun());

        // The customer arrives late: the rental is released.
        source.update("INSERT INTO customer (customer_id, store_id, first_name, last_name, address_id) "
                + "VALUES (30001, 1, 'Late', 'Arrival', 1)");
        assertSucceeded(runAndWait(http, Map.of()));
        assertThat(quarantined()).doesNotContain("rental:90001:unknown customer_id 30001");
        assertThat(warehouse.queryForObject("SELECT count() FROM silver.dvd_rental WHERE rental_id = 90001",
                Long.class)).isOne();
        assertThat(quarantined()).isEqualTo(quarantinedByAFullRun());

        // Deleted at the source again: the cursor extract does not see deletes, and bronze keeps the customer it
        // has seen, so its rental stays out of the quarantine, in an incremental run as in a full run.
        source.update("DELETE FROM customer WHERE customer_id = 30001");
        source.update("UPDATE rental SET return_date = coalesce(return_date, rental_date) + interval '1 day' "
                + "WHERE rental_id = 90001");
        assertSucceeded(runAndWait(http, Map.of()));
        assertThat(quarantined()).doesNotContain("rental:90001:unknown customer_id 30001")
                .isEqualTo(quarantinedByAFullRun());
    }

    @Test
    void aRentalArrivingLateReleasesItsPaymentInAnIncrementalRun() throws Exception {
        startFromAFullRun(64);
        source.execute("ALTER TABLE payment DROP CONSTRAINT IF EXISTS payment_rental_id_fkey");
        try {
            long payment = source.queryForObject("INSERT INTO payment (customer_id, staff_id, rental_id, amount, "
                    + "payment_date) SELECT customer_id, staff_id, 90002, amount, payment_date FROM payment "
                    + "ORDER BY payment_id LIMIT 1 RETURNING payment_id", Long.class);

            assertSucceeded(runAndWait(http, Map.of()));
            assertThat(quarantined()).contains("payment:" + payment + ":unknown rental_id 90002");
            assertThat(payments(payment)).isZero();

            source.update("INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, staff_id) "
                    + "SELECT 90002, rental_date + interval '1 hour', inventory_id, customer_id, staff_id FROM rental "
                    + "WHERE rental_id = 1");
            Map<String, Object> run = runAndWait(http, Map.of());
            assertSucceeded(run);
            assertThat(step(run, "silver.dvd_payment")).containsEntry("state", "SUCCEEDED")
                    .containsEntry("rows_written", 1);
            assertThat(payments(payment)).isOne();
            assertThat(quarantined()).doesNotContain("payment:" + payment + ":unknown rental_id 90002");
            Map<String, String> incremental = checksums();

            assertSucceeded(runAndWait(http, Map.of("mode", "full")));
            assertThat(incremental).isEqualTo(checksums());
        } finally {
            // The source as dvdrental declares it again, for the tests after this one (ON DELETE SET NULL).
            source.update("DELETE FROM payment WHERE rental_id = 90002");
            source.execute("ALTER TABLE payment ADD CONSTRAINT payment_rental_id_fkey FOREIGN KEY (rental_id) "
                    + "REFERENCES rental (rental_id) ON UPDATE CASCADE ON DELETE SET NULL");
        }
    }

    private long payments(long paymentId) {
        return warehouse.queryForObject("SELECT count() FROM silver.dvd_payment WHERE payment_id = ?", Long.class,
                paymentId);
    }

    /** The quarantine as a full run leaves it; the warehouse is left so. */
    private Set<String> quarantinedByAFullRun() {
        assertSucceeded(runAndWait(http, Map.of("mode", "full")));
        return quarantined();
    }

    private Set<String> quarantined() {
        return new TreeSet<>(warehouse.queryForList("SELECT DISTINCT concat(table_name, ':', row_key, ':', reason) "
                + "FROM silver.quarantine", String.class));
    }

    /** Row count and a checksum of every row of each model downstream of rental. */
    private Map<String, String> checksums() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String model : RENTAL_MODELS) {
            sums.put(model, warehouse.queryForObject("SELECT concat(toString(count()), ' rows, ', "
                    + "toString(sum(cityHash64(tuple(*))))) FROM " + model, String.class));
        }
        return sums;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> quality(Map<String, Object> run, String check, String target) {
        return ((List<Map<String, Object>>) run.get("quality")).stream()
                .filter(q -> check.equals(q.get("check_name")) && target.equals(q.get("target"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " result for " + target));
    }

}
