package io.dvdrental.pipelines.warehouse;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model's {@code INSERT … SELECT} that fails half-way has already written some blocks (ClickHouse inserts block by
 * block). The driver must not send it again on its own: its second run would write those blocks again. Here it fails
 * at a time limit; in production, a memory limit or too many parts fail it the same way.
 */
@RealServicesTest
class WarehouseStatementRetryTest {

    private static final String TABLE = "default.half_way_insert";

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate pipelines;

    @AfterEach
    void dropTable() {
        pipelines.getJdbcTemplate().execute("DROP TABLE IF EXISTS " + TABLE);
    }

    @Test
    void anInsertThatFailsHalfWayIsNotSentAgainByTheDriver() {
        JdbcTemplate warehouse = pipelines.getJdbcTemplate();
        warehouse.execute("CREATE TABLE " + TABLE + " (n UInt64) ENGINE = MergeTree ORDER BY n");

        // Ten rows a block, a tenth of a second each, every block written as it comes, stopped after 1 s.
        assertThatThrownBy(() -> warehouse.execute("INSERT INTO " + TABLE + " SELECT number FROM system.numbers "
                + "WHERE NOT ignore(sleepEachRow(0.01)) SETTINGS max_block_size = 10, max_execution_time = 1, "
                + "min_insert_block_size_rows = 10, min_insert_block_size_bytes = 0"))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("TIMEOUT_EXCEEDED");

        Map<String, Object> written = warehouse.queryForMap("SELECT count() AS rows, uniqExact(n) AS numbers FROM " + TABLE);
        assertThat(((Number) written.get("numbers")).longValue()).as("rows written before the failure").isPositive();
        assertThat(((Number) written.get("rows")).longValue()).as("rows, each number once")
                .isEqualTo(((Number) written.get("numbers")).longValue());
    }
}
