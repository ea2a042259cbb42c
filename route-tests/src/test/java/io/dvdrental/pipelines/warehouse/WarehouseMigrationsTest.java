package io.dvdrental.pipelines.warehouse;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The warehouse schema is migrated at start-up, once per version, on the real ClickHouse. */
@RealServicesTest
class WarehouseMigrationsTest {

    @Autowired
    WarehouseMigrations migrations;

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @Test
    void everyMigrationIsRecordedOnceAndARerunAppliesNothing() throws Exception {
        List<Integer> files = WarehouseMigrations.load().stream().map(WarehouseMigrations.Migration::version).toList();
        migrations.migrate();
        List<Integer> recorded = warehouse.queryForList(
                "SELECT version FROM dvd_schema_migrations ORDER BY version", Map.of(), Integer.class);
        assertThat(recorded).containsExactlyElementsOf(files);
    }

    @Test
    void statementsSplitAtSemicolonsEndingALineAndDropCommentLines() {
        String sql = """
                -- a comment; with a semicolon
                CREATE TABLE a (s String DEFAULT 'x;y') ENGINE = Memory;
                INSERT INTO a VALUES ('1');
                """;
        assertThat(WarehouseMigrations.statements(sql)).containsExactly(
                "CREATE TABLE a (s String DEFAULT 'x;y') ENGINE = Memory",
                "INSERT INTO a VALUES ('1')");
    }
}
