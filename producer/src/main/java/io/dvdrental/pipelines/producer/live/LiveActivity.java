package io.dvdrental.pipelines.producer.live;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SplittableRandom;

/**
 * Keeps a seeded source database moving like a shop that is open: new rentals, returns, payments and customers
 * who move. Each operation is its own transaction, so change-data capture sees them one by one. The choices come
 * from the seed; the timestamps are the database's clock.
 */
public final class LiveActivity {

    /** Open rentals are returned oldest first, one of the first few, so returns do not scan the whole table. */
    private static final int RETURN_CANDIDATES = 5;
    private static final int SHELF_TRIES = 10;

    private final DataSource dataSource;
    private final SplittableRandom random;

    public LiveActivity(DataSource dataSource, long seed) {
        this.dataSource = dataSource;
        this.random = new SplittableRandom(seed);
    }

    /** Performs {@code count} operations drawn by their weights and returns what they did. */
    public LiveStats perform(int count) throws SQLException {
        LiveStats stats = new LiveStats();
        try (Connection connection = dataSource.getConnection()) {
            for (int i = 0; i < count; i++) {
                LiveOperation operation = draw();
                if (apply(connection, operation)) {
                    stats.recordDone(operation);
                } else {
                    stats.recordSkipped();
                }
            }
        }
        return stats;
    }

    private LiveOperation draw() {
        double r = random.nextDouble();
        for (LiveOperation operation : LiveOperation.values()) {
            r -= operation.weight;
            if (r < 0) {
                return operation;
            }
        }
        return LiveOperation.RENTAL;
    }

    private boolean apply(Connection connection, LiveOperation operation) throws SQLException {
        return switch (operation) {
            case RENTAL -> rent(connection);
            case RETURN -> returnOne(connection);
            case PAYMENT -> pay(connection);
            case ADDRESS_CHANGE -> move(connection);
        };
    }

    private boolean rent(Connection connection) throws SQLException {
        long customers = max(connection, "SELECT max(customer_id) FROM customer");
        long items = max(connection, "SELECT max(inventory_id) FROM inventory");
        if (customers == 0 || items == 0) {
            return false;
        }
        for (int attempt = 0; attempt < SHELF_TRIES; attempt++) {
            long item = 1 + random.nextLong(items);
            long customer = 1 + random.nextLong(customers);
            int staff = 1 + random.nextInt(2);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id)
                    SELECT clock_timestamp(), ?, ?, ?
                    WHERE inventory_in_stock(?::integer) AND EXISTS (SELECT 1 FROM customer WHERE customer_id = ?)""")) {
                insert.setLong(1, item);
                insert.setLong(2, customer);
                insert.setInt(3, staff);
                insert.setLong(4, item);
                insert.setLong(5, customer);
                if (insert.executeUpdate() == 1) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean returnOne(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE rental SET return_date = clock_timestamp()
                WHERE rental_id = (SELECT rental_id FROM rental WHERE return_date IS NULL
                                   ORDER BY rental_id LIMIT 1 OFFSET ?)""")) {
            update.setInt(1, random.nextInt(RETURN_CANDIDATES));
            if (update.executeUpdate() == 1) {
                return true;
            }
        }
        // Fewer open rentals than candidates: take the oldest.
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE rental SET return_date = clock_timestamp()
                WHERE rental_id = (SELECT rental_id FROM rental WHERE return_date IS NULL ORDER BY rental_id LIMIT 1)""")) {
            return update.executeUpdate() == 1;
        }
    }

    /** The rental fee, plus $1 a day past the film's rental duration once returned. */
    private boolean pay(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date)
                SELECT r.customer_id, ?, r.rental_id,
                       LEAST(999.99, f.rental_rate + GREATEST(0, COALESCE(
                           date_part('day', r.return_date - r.rental_date) - f.rental_duration, 0))),
                       clock_timestamp()
                FROM rental r
                JOIN inventory i ON i.inventory_id = r.inventory_id
                JOIN film f ON f.film_id = i.film_id
                WHERE r.rental_id = (SELECT r2.rental_id FROM rental r2
                                     WHERE NOT EXISTS (SELECT 1 FROM payment p WHERE p.rental_id = r2.rental_id)
                                     ORDER BY r2.rental_id DESC LIMIT 1)""")) {
            insert.setInt(1, 1 + random.nextInt(2));
            return insert.executeUpdate() == 1;
        }
    }

    private boolean move(Connection connection) throws SQLException {
        long customers = max(connection, "SELECT max(customer_id) FROM customer");
        long addresses = max(connection, "SELECT max(address_id) FROM address");
        if (customers == 0 || addresses == 0) {
            return false;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE customer SET address_id = a.address_id
                FROM address a
                WHERE customer.customer_id = ? AND a.address_id = ?""")) {
            update.setLong(1, 1 + random.nextLong(customers));
            update.setLong(2, 1 + random.nextLong(addresses));
            return update.executeUpdate() == 1;
        }
    }

    private static long max(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
