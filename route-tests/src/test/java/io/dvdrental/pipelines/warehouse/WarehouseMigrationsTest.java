package io.dvdrental.pipelines.warehouse;

import com.clickhouse.client.api.Client;
import io.dvdrental.pipelines.batch.Warehouse;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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

    @Autowired
    @Qualifier("warehouseDataSource")
    DataSource warehouseDataSource;

    @Autowired
    SourceTables sourceTables;

    @Autowired
    Client warehouseClient;

    /**
     * Every start applies the schema (a restart after a kill -9 too); on a cluster each DDL statement waits for every
     * node. A warehouse that is current is read, not altered: the server's start here already applied it.
     */
    @Test
    void aStartOnACurrentWarehouseReadsTheSchemaAndAltersNothing() throws Exception {
        StatementLog log = new StatementLog(warehouseDataSource);
        WarehouseSchema schema = new WarehouseSchema(new WarehouseMigrations(log, ""),
                List.of(new Warehouse(log, sourceTables, warehouseClient)));
        try {
            schema.afterPropertiesSet();
        } finally {
            schema.destroy();
        }
        assertThat(schema.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(log.statements).as("what a start on a current warehouse sends")
                .noneMatch(sql -> sql.matches("(?is)\\s*(CREATE|ALTER|DROP|INSERT|RENAME)\\b.*"))
                .hasSizeLessThanOrEqualTo(3);
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

    /** A data source that notes the SQL of every statement its connections run. */
    private static final class StatementLog extends DelegatingDataSource {

        final List<String> statements = new CopyOnWriteArrayList<>();

        StatementLog(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws java.sql.SQLException {
            Connection connection = super.getConnection();
            return noting(Connection.class, connection, (proxy, method, args) -> {
                if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                    statements.add(sql);
                }
                Object result = invoke(connection, method, args);
                return result instanceof Statement statement && method.getName().equals("createStatement")
                        ? noting(Statement.class, statement, (p, m, a) -> {
                            if (m.getName().startsWith("execute") && a != null && a[0] instanceof String sql) {
                                statements.add(sql);
                            }
                            return invoke(statement, m, a);
                        })
                        : result;
            });
        }

        private static <T> T noting(Class<T> type, T target, InvocationHandler handler) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler));
        }

        private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
