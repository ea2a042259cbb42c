package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.insights.InsightsParameters.DateRange;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The batch dashboard's answers, read from {@code gold.report_rentals}. Every value is bound; the only text
 * added to a query is one of the fixed date conditions below. Before the first batch run has built the report, each
 * answer is a {@link NoBatchRunYetException}.
 */
@Component
public class BatchInsights {

    private final NamedParameterJdbcTemplate warehouse;

    public BatchInsights(@Qualifier("insightsJdbcTemplate") NamedParameterJdbcTemplate warehouse) {
        this.warehouse = warehouse;
    }

    public record FilmRentals(String title, long rentals) {
    }

    public record CategoryRentals(String category, long rentals) {
    }

    public record WeekdayRentals(String category, String weekday, long rentals) {
    }

    public record CountryRentals(String country, long rentals) {
    }

    public record CountryDuration(String country, double avgDays, long rentals) {
    }

    /** When the newest rental in gold happened and when a batch run last refreshed gold: the dashboard's freshness. */
    public record Freshness(Instant latestRental, Instant refreshedAt, long rentals) {
    }

    public List<FilmRentals> topFilms(DateRange dates, int limit) {
        return fromGold(() -> warehouse.query("""
                        SELECT film_title AS title, count() AS rentals
                        FROM gold.report_rentals
                        WHERE 1 = 1 %s
                        GROUP BY film_id, film_title
                        ORDER BY rentals DESC, title ASC
                        LIMIT :limit""".formatted(dateFilter(dates)), params(dates).addValue("limit", limit),
                (rs, i) -> new FilmRentals(rs.getString("title"), rs.getLong("rentals"))));
    }

    public List<CategoryRentals> topCategories(DateRange dates, int limit) {
        return fromGold(() -> warehouse.query("""
                        SELECT category_name AS category, count() AS rentals
                        FROM gold.report_rentals
                        WHERE 1 = 1 %s
                        GROUP BY category_name
                        ORDER BY rentals DESC, category ASC
                        LIMIT :limit""".formatted(dateFilter(dates)), params(dates).addValue("limit", limit),
                (rs, i) -> new CategoryRentals(rs.getString("category"), rs.getLong("rentals"))));
    }

    /** Per category, the seven weekdays Monday to Sunday that have rentals. */
    public List<WeekdayRentals> rentalsByWeekday(DateRange dates) {
        return fromGold(() -> warehouse.query("""
                        SELECT category_name AS category, rental_day_name AS weekday, count() AS rentals
                        FROM gold.report_rentals
                        WHERE 1 = 1 %s
                        GROUP BY category_name, rental_day_name
                        ORDER BY category ASC, min(toDayOfWeek(rental_date_day)) ASC""".formatted(dateFilter(dates)),
                params(dates),
                (rs, i) -> new WeekdayRentals(rs.getString("category"), rs.getString("weekday"),
                        rs.getLong("rentals"))));
    }

    public List<CountryRentals> rentalsByCountry(DateRange dates) {
        return fromGold(() -> warehouse.query("""
                        SELECT country, count() AS rentals
                        FROM gold.report_rentals
                        WHERE 1 = 1 %s
                        GROUP BY country
                        ORDER BY rentals DESC, country ASC""".formatted(dateFilter(dates)), params(dates),
                (rs, i) -> new CountryRentals(rs.getString("country"), rs.getLong("rentals"))));
    }

    /** Returned rentals only; the duration is gold's whole days from rental date to return date. */
    public List<CountryDuration> avgRentalDurationByCountry(DateRange dates, int limit) {
        return fromGold(() -> warehouse.query("""
                        SELECT country, round(avg(rental_duration_days), 2) AS avg_days, count() AS rentals
                        FROM gold.report_rentals
                        WHERE is_returned = 1 %s
                        GROUP BY country
                        ORDER BY avg_days DESC, country ASC
                        LIMIT :limit""".formatted(dateFilter(dates)), params(dates).addValue("limit", limit),
                (rs, i) -> new CountryDuration(rs.getString("country"), rs.getDouble("avg_days"),
                        rs.getLong("rentals"))));
    }

    /** Gold's freshness: the batch pipeline marks {@code gold.batch_freshness} after each run whose gold models all succeeded. */
    public Freshness freshness() {
        return fromGold(() -> warehouse.queryForObject("""
                        SELECT toInt64(toUnixTimestamp(max(rental_date))) AS latest_rental,
                               (SELECT toInt64(toUnixTimestamp64Milli(max(refreshed_at))) FROM gold.batch_freshness)
                                   AS refreshed_at,
                               count() AS rentals
                        FROM gold.report_rentals""", new MapSqlParameterSource(),
                (rs, i) -> {
                    long rentals = rs.getLong("rentals");
                    long refreshed = rs.getLong("refreshed_at");
                    return new Freshness(rentals == 0 ? null : Instant.ofEpochSecond(rs.getLong("latest_rental")),
                            refreshed <= 0 ? null : Instant.ofEpochMilli(refreshed), rentals);
                }));
    }

    /**
     * Runs a query on gold. When it fails and gold has no report table, no batch run has built it yet: that, not the
     * warehouse, is the answer. The look is made only after a failure, so answers cost one query as before.
     */
    private <T> T fromGold(Supplier<T> query) {
        try {
            return query.get();
        } catch (DataAccessException failure) {
            if (reportMissing()) {
                throw new NoBatchRunYetException();
            }
            throw failure;
        }
    }

    private boolean reportMissing() {
        try {
            return warehouse.getJdbcTemplate().queryForObject("SELECT count() FROM system.tables "
                    + "WHERE database = 'gold' AND name = 'report_rentals'", Long.class) == 0;
        } catch (DataAccessException warehouseAway) {
            return false;
        }
    }

    private static String dateFilter(DateRange dates) {
        return (dates.from() == null ? "" : " AND rental_date_day >= :from")
                + (dates.to() == null ? "" : " AND rental_date_day <= :to");
    }

    private static MapSqlParameterSource params(DateRange dates) {
        return new MapSqlParameterSource().addValue("from", dates.from()).addValue("to", dates.to());
    }
}
