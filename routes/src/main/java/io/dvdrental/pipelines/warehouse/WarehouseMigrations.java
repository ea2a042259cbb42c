package io.dvdrental.pipelines.warehouse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Versioned ClickHouse migrations, applied in order by {@link WarehouseSchema} (at start-up, or once ClickHouse
 * answers):
 * {@code classpath*:warehouse/migrations/V<n>__<description>.sql}, statements separated by a {@code ;} at the end
 * of a line. Each applied file is recorded with its checksum; a file changed after it was applied stops the server.
 * Flyway's ClickHouse support stops at 10.x and does not run beside the Flyway 11 that migrates PostgreSQL, so this
 * small runner does the same job for the warehouse. Statements are rendered for the deployment ({@link WarehouseDdl}):
 * the checksum is the file's, whatever the rendering.
 */
@Component
public class WarehouseMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseMigrations.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
    private static final String HISTORY = "dvd_schema_migrations";

    private final JdbcTemplate warehouse;
    private final String cluster;
    private volatile WarehouseDdl ddl;

    /** {@code dvd.warehouse.cluster}: the ClickHouse cluster to create every table on (empty: one server or Cloud). */
    public WarehouseMigrations(@Qualifier("warehouseDataSource") DataSource warehouse,
                               @Value("${dvd.warehouse.cluster:}") String cluster) {
        this.warehouse = new JdbcTemplate(warehouse);
        this.cluster = cluster;
    }

    /** How DDL is rendered for the deployment found by {@link #migrate()} (see {@link WarehouseDdl}). */
    public WarehouseDdl ddl() {
        return ddl;
    }

    public record Migration(int version, String description, String sql, String checksum) {
    }

    /** Applies the migrations not applied yet; a changed applied one throws {@link IllegalStateException}. */
    public void migrate() throws IOException {
        String engine = historyEngine();
        if (engine == null) {
            // Created as a plain MergeTree (on the cluster, when there is one): the engine ClickHouse gives it tells
            // a single server from ClickHouse Cloud, where every MergeTree becomes a SharedMergeTree.
            warehouse.execute(WarehouseDdl.forEngine("MergeTree", cluster).render("CREATE TABLE IF NOT EXISTS "
                    + HISTORY + " (version UInt32, description String, checksum String,"
                    + " applied_at DateTime64(3) DEFAULT now64(3)) ENGINE = MergeTree ORDER BY version"));
            engine = historyEngine();
        }
        ddl = WarehouseDdl.forEngine(engine, cluster);
        LOG.info("Warehouse DDL for {} ({} found)", ddl.kind(), engine);
        Map<Integer, String> applied = warehouse.query("SELECT version, checksum FROM " + HISTORY,
                        (rs, i) -> Map.entry(rs.getInt(1), rs.getString(2)))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
        for (Migration migration : load()) {
            String checksum = applied.get(migration.version());
            if (checksum == null) {
                apply(migration);
            } else if (!checksum.equals(migration.checksum())) {
                throw new IllegalStateException("Warehouse migration V" + migration.version() + "__"
                        + migration.description() + " was changed after it was applied; add a new migration instead");
            }
        }
    }

    /** The migration history's engine; null before the first start made it. */
    private String historyEngine() {
        return warehouse.queryForList("SELECT engine FROM system.tables WHERE database = currentDatabase()"
                + " AND name = '" + HISTORY + "'", String.class).stream().findFirst().orElse(null);
    }

    private void apply(Migration migration) {
        LOG.info("Applying warehouse migration V{}__{}", migration.version(), migration.description());
        for (String statement : statements(migration.sql())) {
            warehouse.execute(ddl.render(statement));
        }
        warehouse.update("INSERT INTO " + HISTORY + " (version, description, checksum) VALUES (?, ?, ?)",
                migration.version(), migration.description(), migration.checksum());
    }

    static List<Migration> load() throws IOException {
        Resource[] resources = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:warehouse/migrations/*.sql");
        List<Migration> migrations = Arrays.stream(resources).map(WarehouseMigrations::read)
                .sorted(Comparator.comparingInt(Migration::version)).toList();
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() == migrations.get(i - 1).version()) {
                throw new IllegalStateException("Two warehouse migrations have version " + migrations.get(i).version());
            }
        }
        return migrations;
    }

    private static Migration read(Resource resource) {
        Matcher m = NAME.matcher(resource.getFilename());
        if (!m.matches()) {
            throw new IllegalStateException("Warehouse migration " + resource.getFilename()
                    + " is not named V<version>__<description>.sql");
        }
        try {
            String sql = resource.getContentAsString(StandardCharsets.UTF_8);
            return new Migration(Integer.parseInt(m.group(1)), m.group(2), sql, sha256(sql));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + resource, e);
        }
    }

    /** Statements end with ';' at the end of a line; '--' comment lines are dropped. */
    static List<String> statements(String sql) {
        String withoutComments = sql.lines().filter(l -> !l.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Arrays.stream(withoutComments.split(";\\s*(\\n|$)")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
