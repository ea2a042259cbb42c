package io.dvdrental.pipelines.insights;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the batch answers are read from, as ClickHouse's catalogue sees it: the ids of {@code gold.report_rentals} and
 * {@code gold.batch_freshness} and their active parts. A batch run that changes gold swaps a table in (a new id) or
 * writes to it (new parts), so the value changes whenever an answer may; a merge changes it too, which only costs
 * one more reading. Looking it up reads two tables' metadata, not the report.
 */
@Component
public class GoldVersion {

    private static final String TABLES = "('report_rentals', 'batch_freshness')";

    private static final String VERSION = "SELECT toString(sipHash64("
            + "(SELECT arraySort(groupArray((name, toString(uuid)))) FROM system.tables"
            + " WHERE database = 'gold' AND name IN " + TABLES + "),"
            + "(SELECT arraySort(groupArray((table, name))) FROM system.parts"
            + " WHERE active AND database = 'gold' AND table IN " + TABLES + ")))";

    private final NamedParameterJdbcTemplate warehouse;

    public GoldVersion(@Qualifier("insightsJdbcTemplate") NamedParameterJdbcTemplate warehouse) {
        this.warehouse = warehouse;
    }

    public String current() {
        return warehouse.getJdbcTemplate().queryForObject(VERSION, String.class);
    }
}
