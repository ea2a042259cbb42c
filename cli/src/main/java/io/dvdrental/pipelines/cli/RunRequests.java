package io.dvdrental.pipelines.cli;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The body of {@code POST /api/batch/runs} from the command line's words, or why they do not make one. */
public final class RunRequests {

    public static final List<String> MODES = List.of("incremental", "full", "backfill");

    private RunRequests() {
    }

    /**
     * {@code mode} is incremental, full or backfill; a backfill needs {@code from} before {@code to}, the other
     * modes take neither; {@code tables} (null: all) are named once each.
     */
    public static Map<String, Object> of(String mode, LocalDate from, LocalDate to, List<String> tables) {
        String m = mode == null ? "incremental" : mode.toLowerCase(Locale.ROOT);
        if (!MODES.contains(m)) {
            throw new IllegalArgumentException("Unknown mode '" + mode + "': " + String.join(", ", MODES));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("mode", m);
        if (m.equals("backfill")) {
            if (from == null || to == null) {
                throw new IllegalArgumentException("A backfill needs --from and --to (YYYY-MM-DD)");
            }
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("--from (" + from + ") must be before --to (" + to + ")");
            }
            request.put("from", from.toString());
            request.put("to", to.toString());
        } else if (from != null || to != null) {
            throw new IllegalArgumentException("--from and --to go with backfill only (a " + m + " run reads "
                    + (m.equals("full") ? "everything" : "what changed since the last run") + ")");
        }
        if (tables != null) {
            Set<String> seen = new HashSet<>();
            for (String table : tables) {
                if (table.isBlank()) {
                    throw new IllegalArgumentException("--tables has an empty name: " + String.join(",", tables));
                }
                if (!seen.add(table.trim())) {
                    throw new IllegalArgumentException("--tables names " + table.trim() + " twice");
                }
            }
            request.put("tables", tables.stream().map(String::trim).toList());
        }
        return request;
    }
}
