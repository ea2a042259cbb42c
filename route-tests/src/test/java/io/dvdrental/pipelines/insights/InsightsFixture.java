package io.dvdrental.pipelines.insights;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Known rows in gold and in the stream tables, small enough that every API answer is worked out by hand in
 * {@link InsightsApiTest}. The tables are emptied first: the answers must come from these rows only.
 */
public final class InsightsFixture {

    public static final List<String> TABLES = List.of("gold.report_rentals", "gold.batch_freshness",
            "stream.clicks_per_minute", "stream.film_reference",
            "stream.users_per_minute", "stream.device_event_per_minute", "stream.event_funnel_per_minute");

    /** When the fixture's batch run refreshed gold, in the warehouse's time zone. */
    public static final String REFRESHED_AT = "2026-01-02 03:04:05.678";

    private final NamedParameterJdbcTemplate warehouse;
    /** The current minute when the fixture was loaded, in epoch seconds; stream rows are placed around it. */
    private long nowMinute;

    public InsightsFixture(NamedParameterJdbcTemplate warehouse) {
        this.warehouse = warehouse;
    }

    public long nowMinute() {
        return nowMinute;
    }

    /** The minute {@code minutesAgo} before the fixture's current minute, in epoch seconds. */
    public long minute(int minutesAgo) {
        return nowMinute - 60L * minutesAgo;
    }

    public InsightsFixture load() {
        emptyTables();
        loadRentals();
        loadClicks();
        return this;
    }

    /**
     * Instead of the usual rows: one rental and one minute of clicks whose every name (film, category, country,
     * city, device, event type) is a prefix followed by {@code text}, for checking how pages show names that come
     * from a source row.
     */
    public InsightsFixture loadNamed(String text) {
        emptyTables();
        rental(1, "2005-05-24T10:00", "2005-05-27T10:00", 1, "Film " + text, "Category " + text, 1,
                "Country " + text, "City " + text);
        clicks(0, 1, "Film " + text, "Category " + text, 5);
        users(0, "u1");
        deviceEvents(0, "Device " + text, "Event " + text, 5);
        funnel(0, "Event " + text, 5);
        return this;
    }

    private void emptyTables() {
        createReportRentalsUnlessBuilt();
        TABLES.forEach(t -> warehouse.getJdbcTemplate().execute("TRUNCATE TABLE " + t));
        warehouse.update("""
                INSERT INTO gold.batch_freshness (run_id, refreshed_at, models)
                VALUES ('fixture-run', toDateTime64(:at, 3), ['gold.report_rentals'])""",
                new MapSqlParameterSource("at", REFRESHED_AT));
        nowMinute = warehouse.getJdbcTemplate().queryForObject(
                "SELECT toInt64(toUnixTimestamp(toStartOfMinute(now())))", Long.class);
    }

    /**
     * The stream tables and gold.batch_freshness come from the server's warehouse migrations. gold.report_rentals is
     * a batch model, built only by a batch run: when no run has built it yet, an empty table with the columns the
     * dashboards read stands in (a later batch run replaces it, and the batch tests drop it before they start).
     */
    private void createReportRentalsUnlessBuilt() {
        warehouse.getJdbcTemplate().execute("""
                CREATE TABLE IF NOT EXISTS gold.report_rentals (
                    rental_id Int32, rental_date DateTime, return_date Nullable(DateTime), rental_duration_days Int32,
                    is_returned UInt8, film_id Int32, film_title String, category_name String, customer_id Int32,
                    country String, city String, rental_day_name String, rental_date_day Date
                ) ENGINE = MergeTree ORDER BY rental_id""");
    }

    private void loadRentals() {
        rental(1, "2005-05-24T10:00", "2005-05-27T10:00", 1, "Academy Dinosaur", "Documentary", 1, "Japan", "Tokyo");
        rental(2, "2005-05-25T11:00", "2005-05-31T09:00", 1, "Academy Dinosaur", "Documentary", 2, "Brazil", "Belem");
        rental(3, "2005-05-30T12:00", "2005-06-01T12:00", 2, "Ace Goldfinger", "Horror", 3, "Japan", "Osaka");
        rental(4, "2005-06-14T13:00", null, 1, "Academy Dinosaur", "Documentary", 4, "India", "Pune");
        rental(5, "2005-06-15T14:00", "2005-06-20T14:00", 3, "Adaptation Holes", "Documentary", 5, "India", "Delhi");
        rental(6, "2005-06-16T15:00", "2005-06-17T16:00", 2, "Ace Goldfinger", "Horror", 1, "Japan", "Tokyo");
        rental(7, "2005-07-05T16:00", "2005-07-13T16:00", 4, "Affair Prejudice", "Horror", 2, "Brazil", "Belem");
        rental(8, "2005-07-09T17:00", "2005-07-10T18:00", 3, "Adaptation Holes", "Documentary", 3, "Japan", "Osaka");
        rental(9, "2005-07-10T18:00", null, 5, "African Egg", "Family", 6, "India", "Pune");
        rental(10, "2005-08-01T19:00", "2005-08-05T19:00", 2, "Ace Goldfinger", "Horror", 4, "India", "Pune");
    }

    private void rental(int id, String rented, String returned, int filmId, String title, String category,
                        int customerId, String country, String city) {
        LocalDateTime rentalDate = LocalDateTime.parse(rented);
        LocalDateTime returnDate = returned == null ? null : LocalDateTime.parse(returned);
        warehouse.update("""
                INSERT INTO gold.report_rentals (rental_id, rental_date, return_date, rental_duration_days,
                    is_returned, film_id, film_title, category_name, customer_id, country, city, rental_day_name,
                    rental_date_day)
                VALUES (:id, :rentalDate, :returnDate, :days, :returned, :filmId, :title, :category, :customerId,
                    :country, :city, :dayName, :day)""", new MapSqlParameterSource()
                .addValue("id", id).addValue("rentalDate", rentalDate).addValue("returnDate", returnDate)
                .addValue("days", returnDate == null ? -1 : (int) ChronoUnit.DAYS.between(rentalDate.toLocalDate(),
                        returnDate.toLocalDate()))
                .addValue("returned", returnDate == null ? 0 : 1).addValue("filmId", filmId).addValue("title", title)
                .addValue("category", category).addValue("customerId", customerId).addValue("country", country)
                .addValue("city", city).addValue("dayName", dayName(rentalDate.getDayOfWeek()))
                .addValue("day", rentalDate.toLocalDate()));
    }

    private static String dayName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private void loadClicks() {
        clicks(2, 1, "Academy Dinosaur", "Documentary", 5);
        clicks(2, 2, "Ace Goldfinger", "Horror", 2);
        clicks(1, 1, "Academy Dinosaur", "Documentary", 3);
        clicks(1, 3, "Adaptation Holes", "Documentary", 4);
        clicks(0, 2, "Ace Goldfinger", "Horror", 2);
        // The same key twice in separate inserts: two unmerged parts that the API must add up. (Identical inserts
        // would be one: the real tables drop a repeated block, see non_replicated_deduplication_window.)
        clicks(0, 1, "Academy Dinosaur", "Documentary", 1);
        clicks(0, 1, "Academy Dinosaur", "Documentary", 2);
        clicks(20, 5, "African Egg", "Family", 100);

        users(2, "u1", "u2", "u3");
        users(1, "u2", "u4");
        users(0, "u1");
        users(20, "u9");

        deviceEvents(2, "desktop", "view", 6);
        deviceEvents(2, "mobile", "view", 3);
        deviceEvents(1, "mobile", "click", 2);
        deviceEvents(1, "desktop", "view", 1);
        deviceEvents(0, "tablet", "add_to_cart", 1);
        deviceEvents(20, "mobile", "view", 50);

        funnel(2, "view", 9);
        funnel(1, "view", 1);
        funnel(1, "click", 2);
        funnel(0, "add_to_cart", 1);
        funnel(0, "purchase", 1);
        funnel(20, "view", 50);
    }

    /** Clicks on a film in the minute {@code minutesAgo} before the fixture's current minute. */
    public void clicks(int minutesAgo, int filmId, String title, String category, long clicks) {
        warehouse.update("""
                INSERT INTO stream.clicks_per_minute (minute, film_id, film_title, category, clicks)
                VALUES (toDateTime(:minute), :filmId, :title, :category, :clicks)""", new MapSqlParameterSource()
                .addValue("minute", minute(minutesAgo)).addValue("filmId", filmId).addValue("title", title)
                .addValue("category", category).addValue("clicks", clicks));
    }

    public void users(int minutesAgo, String... users) {
        warehouse.update("""
                INSERT INTO stream.users_per_minute (minute, users)
                SELECT toDateTime(:minute), uniqCombinedState(user_id) FROM (SELECT arrayJoin([:users]) AS user_id)""",
                new MapSqlParameterSource().addValue("minute", minute(minutesAgo)).addValue("users", List.of(users)));
    }

    public void deviceEvents(int minutesAgo, String device, String eventType, long clicks) {
        warehouse.update("""
                INSERT INTO stream.device_event_per_minute (minute, device, event_type, clicks)
                VALUES (toDateTime(:minute), :device, :eventType, :clicks)""", new MapSqlParameterSource()
                .addValue("minute", minute(minutesAgo)).addValue("device", device).addValue("eventType", eventType)
                .addValue("clicks", clicks));
    }

    public void funnel(int minutesAgo, String eventType, long clicks) {
        warehouse.update("""
                INSERT INTO stream.event_funnel_per_minute (minute, event_type, clicks)
                VALUES (toDateTime(:minute), :eventType, :clicks)""", new MapSqlParameterSource()
                .addValue("minute", minute(minutesAgo)).addValue("eventType", eventType).addValue("clicks", clicks));
    }
}
