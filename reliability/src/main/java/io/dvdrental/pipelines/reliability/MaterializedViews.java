package io.dvdrental.pipelines.reliability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Do the materialized views agree with the raw clicks? For every minute a run touched, the click counts of every
 * per-minute view must equal the stored clicks of those minutes, and the distinct users of the uniq view the
 * distinct users among them. This holds whoever else wrote clicks in those minutes, so it needs no run tag.
 */
public final class MaterializedViews {

    /** The figures for one window of minutes and what did not agree. */
    public record Agreement(long rawRows, long rawDistinct, Map<String, Long> views, List<String> disagreements) {

        public String summary() {
            return "minutes of the run: raw rows " + rawRows + ", distinct " + rawDistinct + ", views " + views;
        }
    }

    private final Warehouse warehouse;
    private final Target.StreamNames stream;

    public MaterializedViews(Warehouse warehouse, Target.StreamNames stream) {
        this.warehouse = warehouse;
        this.stream = stream;
    }

    /** Compares over the whole minutes from {@code fromMillis} to {@code toMillis} (epoch, UTC). */
    public Agreement agreement(long fromMillis, long toMillis) throws IOException {
        String db = stream.database();
        String minutes = "minute >= toStartOfMinute(fromUnixTimestamp64Milli(" + fromMillis + ", 'UTC')) AND minute "
                + "<= toStartOfMinute(fromUnixTimestamp64Milli(" + toMillis + ", 'UTC'))";
        String rawMinutes = minutes.replace("minute", "toStartOfMinute(event_ts)");
        List<Long> rawFigures = warehouse.numbers("SELECT count(), uniqExact(event_id) FROM " + stream.clicks()
                + " WHERE " + rawMinutes);
        long rows = rawFigures.get(0);
        long distinct = rawFigures.get(1);
        // The raw rows' users as the view keeps them, a sketch per minute merged: a sketch merged from parts can
        // differ from one built from all rows at once (uniqCombined converts to HyperLogLog at another size).
        long users = warehouse.number("SELECT uniqCombinedMerge(users) FROM (SELECT uniqCombinedState(user_id) AS users"
                + " FROM " + stream.clicks() + " WHERE " + rawMinutes + " GROUP BY toStartOfMinute(event_ts))");
        Map<String, Long> views = new LinkedHashMap<>();
        for (String table : List.of("clicks_per_minute", "device_event_per_minute", "event_funnel_per_minute")) {
            views.put(table + " sum(clicks)", sumOrMissing(db, table, "sum(clicks)", minutes));
        }
        // Merged sketches of the same users hold the same registers: equal, not approximately.
        views.put("users_per_minute uniqCombinedMerge(users)",
                sumOrMissing(db, "users_per_minute", "uniqCombinedMerge(users)", minutes));
        List<String> wrong = new ArrayList<>();
        if (rows != distinct) {
            wrong.add("raw rows " + rows + " != distinct event_ids " + distinct + " in the run's minutes");
        }
        views.forEach((view, value) -> {
            long expected = view.startsWith("users_per_minute") ? users : distinct;
            if (value == null) {
                wrong.add(view + ": table missing");
            } else if (value != expected) {
                wrong.add(view + " = " + value + " but the raw table says " + expected);
            }
        });
        views.put("raw uniqCombined(user_id), merged per minute", users);
        return new Agreement(rows, distinct, views, wrong);
    }

    private Long sumOrMissing(String db, String table, String expression, String minutes) throws IOException {
        if (!warehouse.tableExists(db, table)) {
            return null;
        }
        return warehouse.number("SELECT " + expression + " FROM " + db + "." + table + " WHERE " + minutes);
    }
}
