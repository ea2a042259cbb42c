package io.dvdrental.pipelines.insights;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Rows and last write of every table of the pipelines' databases, from ClickHouse's own part list: one cheap query
 * that counts nothing (a table's rows are the sum of its active parts' rows).
 */
@Component
public class WarehouseTables {

    private final NamedParameterJdbcTemplate warehouse;

    public WarehouseTables(@Qualifier("insightsJdbcTemplate") NamedParameterJdbcTemplate warehouse) {
        this.warehouse = warehouse;
    }

    /** By {@code database.table}; a table without parts (empty, or a view) is absent. */
    public Map<String, PipelineGraph.TableFigures> figures() {
        Map<String, PipelineGraph.TableFigures> figures = new HashMap<>();
        warehouse.query("""
                SELECT concat(database, '.', table) AS name, sum(rows) AS rows,
                       toInt64(toUnixTimestamp(max(modification_time))) AS written
                FROM system.parts
                WHERE active AND database IN ('bronze', 'silver', 'gold', 'stream')
                GROUP BY database, table""", new MapSqlParameterSource(),
                rs -> {
                    figures.put(rs.getString("name"), new PipelineGraph.TableFigures(rs.getLong("rows"),
                            Instant.ofEpochSecond(rs.getLong("written"))));
                });
        return figures;
    }
}
