package io.dvdrental.pipelines.insights;

import java.util.List;

/**
 * A question a built-in dashboard answers, and the warehouse tables its answer reads: the last layer of the lineage
 * that {@code /api/pipelines} draws (the exposures of a dbt project).
 *
 * @param id        the insights API path under {@code /api/insights/}, e.g. {@code batch/top-films}
 * @param title     the question as the dashboard asks it
 * @param dashboard the page that shows the answer
 * @param reads     the tables (database.table) the answer is read from
 */
public record DashboardQuestion(String id, String title, String dashboard, List<String> reads) {

    public static final String BATCH_PAGE = "/dashboards/batch.html";
    public static final String STREAM_PAGE = "/dashboards/stream.html";

    private static final List<String> REPORT = List.of("gold.report_rentals");

    /** Every question of both dashboards, as {@link BatchInsights} and {@link StreamInsights} answer them. */
    public static final List<DashboardQuestion> ALL = List.of(
            new DashboardQuestion("batch/top-films", "Which films are rented the most?", BATCH_PAGE, REPORT),
            new DashboardQuestion("batch/top-categories", "Which film categories are rented the most?", BATCH_PAGE,
                    REPORT),
            new DashboardQuestion("batch/rentals-by-weekday", "On which weekdays is each category rented?",
                    BATCH_PAGE, REPORT),
            new DashboardQuestion("batch/rentals-by-country", "Which countries rent the most?", BATCH_PAGE, REPORT),
            new DashboardQuestion("batch/avg-rental-duration-by-country",
                    "Where do customers keep their films the longest?", BATCH_PAGE, REPORT),
            new DashboardQuestion("batch/freshness", "How fresh is the warehouse?", BATCH_PAGE, REPORT),
            new DashboardQuestion("stream/trending-films", "Which films are trending right now?", STREAM_PAGE,
                    List.of("stream.clicks_per_minute", "stream.film_reference")),
            new DashboardQuestion("stream/top-categories", "Which categories are hot right now?", STREAM_PAGE,
                    List.of("stream.clicks_per_minute", "stream.film_reference")),
            new DashboardQuestion("stream/active-users", "How many users are active?", STREAM_PAGE,
                    List.of("stream.users_per_minute")),
            new DashboardQuestion("stream/clicks-per-minute", "How many clicks per minute?", STREAM_PAGE,
                    List.of("stream.clicks_per_minute")),
            new DashboardQuestion("stream/device-activity", "What do visitors do on each device?", STREAM_PAGE,
                    List.of("stream.device_event_per_minute")),
            new DashboardQuestion("stream/event-funnel", "How far do visitors get?", STREAM_PAGE,
                    List.of("stream.event_funnel_per_minute")));
}
