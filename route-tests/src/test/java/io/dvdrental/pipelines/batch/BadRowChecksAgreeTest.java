package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.batch.BronzeRows;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad source row has two checks: change capture's, in Java ({@link BronzeRows#problem}), and the cursor extract's,
 * as SQL that ClickHouse runs over the COPY text ({@link SourceTable#problemSql}). Both must reject the same rows with
 * the same reason, or a row's fate would depend on the mode. For every source table: a good row, then each required
 * column NULL, each date too early, in the future and just inside the bounds, each date pair out of order, all as
 * PostgreSQL's COPY writes them, judged by both.
 */
@RealServicesTest
class BadRowChecksAgreeTest {

    private static final LocalDateTime NOW = LocalDateTime.now(ZoneOffset.UTC).withNano(0);
    /** As COPY writes a timestamp without fraction: with its seconds, also when they are 0 (Java's toString drops them). */
    private static final DateTimeFormatter COPY_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @Test
    void changeCaptureAndTheCursorExtractRejectTheSameRowsForTheSameReasons() {
        int compared = 0;
        for (SourceTable table : SourceTables.load().tables()) {
            List<Map<String, String>> rows = variants(table);
            StringBuilder tsv = new StringBuilder();
            for (int i = 0; i < rows.size(); i++) {
                tsv.append(i);
                for (String value : rows.get(i).values()) {
                    tsv.append('\t').append(value == null ? "\\N" : value);
                }
                tsv.append('\n');
            }
            List<String> sql = warehouse.getJdbcTemplate().queryForList("SELECT " + table.problemSql(NOW)
                    + " FROM format(TabSeparated, '_row Int32, " + table.inputStructure() + "', $$" + tsv
                    + "$$) ORDER BY _row", String.class);
            List<String> java = rows.stream().map(row -> BronzeRows.problem(table, new LinkedHashMap<>(row), NOW)
                    .orElse("")).toList();
            assertThat(sql).as(table.name()).containsExactlyElementsOf(java);
            assertThat(java).as(table.name() + ": the variants are bad rows, but the first").first().isEqualTo("");
            assertThat(java.subList(1, java.size())).as(table.name()).doesNotContain("");
            compared += rows.size();
        }
        assertThat(compared).isGreaterThan(60);
    }

    /** A good row as COPY writes it, then one variant per check the table has. */
    private static List<Map<String, String>> variants(SourceTable table) {
        Map<String, String> good = new LinkedHashMap<>();
        table.columns().forEach((column, type) -> good.put(column, goodValue(type)));
        List<Map<String, String>> rows = new ArrayList<>(List.of(good));
        for (String column : table.columns().keySet()) {
            if (table.required(column)) {
                rows.add(with(good, column, null));
            }
            if (table.temporal(column)) {
                boolean date = !table.columns().get(column).contains("DateTime");
                for (String value : date ? List.of("1989-12-31", "2999-01-01")
                        : List.of("1899-12-31 00:00:00", "1989-12-31 23:59:59.123456", "2999-01-01 10:00:00",
                        COPY_TIMESTAMP.format(NOW.plusDays(1).plusSeconds(1)))) {
                    rows.add(with(good, column, value));
                }
            }
        }
        table.notBefore().forEach((later, earlier) -> {
            Map<String, String> outOfOrder = with(good, later, "2006-02-14 23:59:59.5");
            outOfOrder.put(earlier, "2006-02-15 00:00:00");
            rows.add(outOfOrder);
        });
        return rows;
    }

    private static String goodValue(String type) {
        if (type.contains("DateTime")) {
            return "2006-02-15 09:34:33";
        }
        if (type.contains("Date")) {
            return "2006-02-14";
        }
        if (type.contains("Bool")) {
            return "t";
        }
        return type.matches(".*(Int|Decimal|Float).*") ? "1" : "x";
    }

    private static Map<String, String> with(Map<String, String> row, String column, String value) {
        Map<String, String> changed = new LinkedHashMap<>(row);
        changed.put(column, value);
        return changed;
    }
}
