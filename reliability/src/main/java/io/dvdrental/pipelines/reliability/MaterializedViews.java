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
        String raw = "SELECT count(), uniqExact(event_id), uniq(user_id) FROM " + stream.clicks() + " WHERE "
                + minutes.replace("minute", "toStartOfMinute(event_ts)");
        List<Long> rawFigures = warehouse.numbers(raw);
        long rows = rawFigures.get(0);
        long distinct = rawFigures.get(1);
        long users = rawFigures.get(2);
        Map<String, Long> views = new LinkedHashMap<>();
        for (String table : List.of("clicks_per_minute", "device_event_per_minute", "event_funnel_per_minute")) {
            views.put(table + " sum(clicks)", sumOrMissing(db, table, "sum(clicks)", minutes));
        }
        // uniqMerge over the window against uniq over the same rows: the same sketch, so equal, not approximately.
        views.put("active_users_per_minute uniqMerge(users)",
                sumOrMissing(db, "active_users_per_minute", "uniqMerge(users)", minutes));
        List<String> wrong = new ArrayList<>();
        if (rows != distinct) {
            wrong.add("raw rows " + rows + " != distinct event_ids " + distinct + " in the run's minutes");
        }
        views.forEach((view, value) -> {
            long expected = view.startsWith("active_users") ? users : distinct;
            if (value == null) {
                wrong.add(view + ": table missing");
            } else if (value != expected) {
                wrong.add(view + " = " + value + " but the raw table says " + expected);
            }
        });
        views.put("raw uniq(user_id)", users);
        return new Agreement(rows, distinct, views, wrong);
    }

    private Long sumOrMissing(String db, String table, String expression, String minutes) throws IOException {
        if (!warehouse.tableExists(db, table)) {
            return null;
        }
        return warehouse.number("SELECT " + expression + " FROM " + db + "." + table + " WHERE " + minutes);
    }
}
