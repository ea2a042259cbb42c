package io.dvdrental.pipelines.insights;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The streaming dashboard's answers, read from the per-minute tables the materialized views fill. Their parts
 * may not be merged yet, so every count is summed (or its sketches merged) here. Film names come from the film
 * reference at query time ({@code stream.film_reference}).
 */
@Component
public class StreamInsights {

    /** The last {@code :minutes} whole minutes, the current one included. */
    private static final String WINDOW = "minute >= toStartOfMinute(now()) - toIntervalMinute(:minutes - 1)";

    /**
     * The window's clicks per film, named from the film reference loaded last: a click stored as 'Unknown' (it came
     * before the reference knew its film) is named once the reference knows it, and a renamed film shows its new
     * name. A film the reference does not know keeps the names stored with its newest clicks. Summed per film before
     * the join, which then meets one row per film instead of one per minute.
     */
    private static final String NAMED_CLICKS = """
            SELECT c.film_id AS film_id, coalesce(nullIf(r.title, ''), c.film_title) AS title,
                   coalesce(nullIf(r.category, ''), c.category) AS category, c.clicks AS clicks
            FROM (SELECT film_id, argMax(film_title, minute) AS film_title, argMax(category, minute) AS category,
                         sum(clicks) AS clicks
                  FROM stream.clicks_per_minute WHERE %s GROUP BY film_id) AS c
            LEFT JOIN (SELECT film_id, argMax(title, loaded_at) AS title, argMax(category, loaded_at) AS category
                       FROM stream.film_reference GROUP BY film_id) AS r ON r.film_id = c.film_id""".formatted(WINDOW);

    private final NamedParameterJdbcTemplate warehouse;

    public StreamInsights(@Qualifier("insightsJdbcTemplate") NamedParameterJdbcTemplate warehouse) {
        this.warehouse = warehouse;
    }

    public record TrendingFilm(long filmId, String title, String category, long clicks) {
    }

    public record CategoryClicks(String category, long clicks) {
    }

    public record MinuteUsers(Instant minute, long users) {
    }

    public record ActiveUsers(long total, List<MinuteUsers> perMinute) {
    }

    public record MinuteClicks(Instant minute, long clicks) {
    }

    public record DeviceActivity(String device, String eventType, long clicks) {
    }

    public record EventClicks(String eventType, long clicks) {
    }

    public List<TrendingFilm> trendingFilms(int minutes, int limit) {
        return warehouse.query("""
                        SELECT film_id, title, category, sum(clicks) AS total
                        FROM (%s)
                        GROUP BY film_id, title, category
                        ORDER BY total DESC, title ASC
                        LIMIT :limit""".formatted(NAMED_CLICKS), window(minutes).addValue("limit", limit),
                (rs, i) -> new TrendingFilm(rs.getLong("film_id"), rs.getString("title"),
                        rs.getString("category"), rs.getLong("total")));
    }

    public List<CategoryClicks> topCategories(int minutes, int limit) {
        return warehouse.query("""
                        SELECT category, sum(clicks) AS total
                        FROM (%s)
                        GROUP BY category
                        ORDER BY total DESC, category ASC
                        LIMIT :limit""".formatted(NAMED_CLICKS), window(minutes).addValue("limit", limit),
                (rs, i) -> new CategoryClicks(rs.getString("category"), rs.getLong("total")));
    }

    /**
     * Distinct users per minute and over the whole window (not the sum of the minutes: a user active twice counts
     * once), in one statement: ClickHouse reads both sides at once, for one round trip.
     */
    public ActiveUsers activeUsers(int minutes) {
        List<MinuteUsers> perMinute = new ArrayList<>();
        long[] total = {0};
        warehouse.query("""
                        SELECT * FROM (
                            SELECT 0 AS whole, toInt64(toUnixTimestamp(minute)) AS at, uniqCombinedMerge(users) AS active
                            FROM stream.users_per_minute WHERE %1$s GROUP BY minute
                            UNION ALL
                            SELECT 1 AS whole, 0 AS at, uniqCombinedMerge(users) AS active
                            FROM stream.users_per_minute WHERE %1$s)
                        ORDER BY whole, at""".formatted(WINDOW), window(minutes), row -> {
                    if (row.getInt("whole") == 1) {
                        total[0] = row.getLong("active");
                    } else {
                        perMinute.add(new MinuteUsers(Instant.ofEpochSecond(row.getLong("at")), row.getLong("active")));
                    }
                });
        return new ActiveUsers(total[0], perMinute);
    }

    public List<MinuteClicks> clicksPerMinute(int minutes) {
        return warehouse.query("""
                        SELECT toInt64(toUnixTimestamp(minute)) AS at, sum(clicks) AS total
                        FROM stream.clicks_per_minute
                        WHERE %s
                        GROUP BY minute
                        ORDER BY minute""".formatted(WINDOW), window(minutes),
                (rs, i) -> new MinuteClicks(Instant.ofEpochSecond(rs.getLong("at")), rs.getLong("total")));
    }

    public List<DeviceActivity> deviceActivity(int minutes) {
        return warehouse.query("""
                        SELECT device, event_type, sum(clicks) AS total
                        FROM stream.device_event_per_minute
                        WHERE %s
                        GROUP BY device, event_type
                        ORDER BY total DESC, device ASC, event_type ASC""".formatted(WINDOW), window(minutes),
                (rs, i) -> new DeviceActivity(rs.getString("device"), rs.getString("event_type"), rs.getLong("total")));
    }

    public List<EventClicks> eventFunnel(int minutes) {
        return warehouse.query("""
                        SELECT event_type, sum(clicks) AS total
                        FROM stream.event_funnel_per_minute
                        WHERE %s
                        GROUP BY event_type
                        ORDER BY total DESC, event_type ASC""".formatted(WINDOW), window(minutes),
                (rs, i) -> new EventClicks(rs.getString("event_type"), rs.getLong("total")));
    }

    private static MapSqlParameterSource window(int minutes) {
        return new MapSqlParameterSource("minutes", minutes);
    }
}
