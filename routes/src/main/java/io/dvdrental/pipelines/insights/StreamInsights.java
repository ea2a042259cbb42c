package io.dvdrental.pipelines.insights;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * The streaming dashboard's answers, read from the per-minute tables the materialized views fill. Their parts
 * may not be merged yet, so every count is summed (or {@code uniqMerge}d) here.
 */
@Component
public class StreamInsights {

    /** The last {@code :minutes} whole minutes, the current one included. */
    private static final String WINDOW = "minute >= toStartOfMinute(now()) - toIntervalMinute(:minutes - 1)";

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
                        SELECT film_id, film_title, category, sum(clicks) AS total
                        FROM stream.clicks_per_minute
                        WHERE %s
                        GROUP BY film_id, film_title, category
                        ORDER BY total DESC, film_title ASC
                        LIMIT :limit""".formatted(WINDOW), window(minutes).addValue("limit", limit),
                (rs, i) -> new TrendingFilm(rs.getLong("film_id"), rs.getString("film_title"),
                        rs.getString("category"), rs.getLong("total")));
    }

    public List<CategoryClicks> topCategories(int minutes, int limit) {
        return warehouse.query("""
                        SELECT category, sum(clicks) AS total
                        FROM stream.clicks_per_minute
                        WHERE %s
                        GROUP BY category
                        ORDER BY total DESC, category ASC
                        LIMIT :limit""".formatted(WINDOW), window(minutes).addValue("limit", limit),
                (rs, i) -> new CategoryClicks(rs.getString("category"), rs.getLong("total")));
    }

    /** Distinct users over the whole window (not the sum of the minutes: a user active twice counts once). */
    public ActiveUsers activeUsers(int minutes) {
        List<MinuteUsers> perMinute = warehouse.query("""
                        SELECT toInt64(toUnixTimestamp(minute)) AS at, uniqMerge(users) AS active
                        FROM stream.active_users_per_minute
                        WHERE %s
                        GROUP BY minute
                        ORDER BY minute""".formatted(WINDOW), window(minutes),
                (rs, i) -> new MinuteUsers(Instant.ofEpochSecond(rs.getLong("at")), rs.getLong("active")));
        Long total = warehouse.queryForObject("""
                        SELECT uniqMerge(users) FROM stream.active_users_per_minute WHERE %s""".formatted(WINDOW),
                window(minutes), Long.class);
        return new ActiveUsers(total == null ? 0 : total, perMinute);
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
