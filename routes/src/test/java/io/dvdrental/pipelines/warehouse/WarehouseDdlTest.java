package io.dvdrental.pipelines.warehouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The warehouse DDL rendered for a self-hosted cluster and for ClickHouse Cloud. A cluster cannot be staged on this
 * machine (one ClickHouse process, no Keeper), so the rendering is what is tested: every migration statement and the
 * bronze DDL, as the runner would send them.
 */
class WarehouseDdlTest {

    private final WarehouseDdl cluster = WarehouseDdl.forEngine("MergeTree", "dvd_cluster");

    @Test
    void everyMigrationStatementRunsOnTheClusterWithReplicatedEnginesAndTheReplicatedWindow() throws Exception {
        List<String> rendered = WarehouseMigrations.load().stream()
                .flatMap(m -> WarehouseMigrations.statements(m.sql()).stream()).map(cluster::render).toList();
        assertThat(rendered).isNotEmpty().allSatisfy(statement -> {
            if (statement.startsWith("INSERT")) {
                assertThat(statement).doesNotContain("ON CLUSTER");
            } else {
                assertThat(statement).contains(" ON CLUSTER 'dvd_cluster'");
            }
            assertThat(statement).doesNotContain("non_replicated_deduplication_window");
            assertThat(statement).doesNotContainPattern("ENGINE = (Replacing|Summing|Aggregating)?MergeTree");
        });
        assertThat(rendered).anySatisfy(s -> assertThat(s).contains("CREATE TABLE IF NOT EXISTS stream.dvd_clicks "
                + "ON CLUSTER 'dvd_cluster'").contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/"
                + "{database}/{table}', '{replica}')").contains("SETTINGS replicated_deduplication_window = 10000"));
        assertThat(rendered).anySatisfy(s -> assertThat(s).contains("ENGINE = ReplicatedSummingMergeTree("
                + "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}', clicks)"));
        assertThat(rendered).anySatisfy(s -> assertThat(s).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS "
                + "stream.clicks_per_minute_mv ON CLUSTER 'dvd_cluster' TO stream.clicks_per_minute AS"));
        assertThat(rendered).anySatisfy(s -> assertThat(s).startsWith("ALTER TABLE stream.ingest_batches ON CLUSTER "
                + "'dvd_cluster' ADD COLUMN"));
        assertThat(rendered).anySatisfy(s -> assertThat(s).startsWith("CREATE DATABASE IF NOT EXISTS stream ON CLUSTER"));
        assertThat(rendered).contains("DROP TABLE IF EXISTS stream.active_users_per_minute ON CLUSTER 'dvd_cluster'");
    }

    @Test
    void bronzeTablesAreReplicatedWithTheirKeyAndWindow() {
        String bronze = "CREATE TABLE IF NOT EXISTS bronze.rental (rental_id Int32, last_update DateTime64(3)) "
                + "ENGINE = MergeTree ORDER BY (rental_id, last_update) SETTINGS non_replicated_deduplication_window = 10000";
        assertThat(cluster.render(bronze)).isEqualTo("CREATE TABLE IF NOT EXISTS bronze.rental ON CLUSTER 'dvd_cluster' "
                + "(rental_id Int32, last_update DateTime64(3)) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/"
                + "{database}/{table}', '{replica}') ORDER BY (rental_id, last_update) "
                + "SETTINGS replicated_deduplication_window = 10000");
    }

    @Test
    void cloudKeepsTheStatementsAndNamesTheWindowItsEngineReads() {
        WarehouseDdl cloud = WarehouseDdl.forEngine("SharedMergeTree", null);
        assertThat(cloud.kind()).isEqualTo(WarehouseDdl.Kind.SHARED);
        assertThat(cloud.render("ALTER TABLE stream.dvd_clicks MODIFY SETTING non_replicated_deduplication_window = 10000"))
                .isEqualTo("ALTER TABLE stream.dvd_clicks MODIFY SETTING replicated_deduplication_window = 10000");
    }

    @Test
    void oneServerRunsTheStatementsAsWritten() {
        WarehouseDdl single = WarehouseDdl.forEngine("MergeTree", "");
        String statement = "CREATE TABLE IF NOT EXISTS stream.x (a UInt8) ENGINE = MergeTree ORDER BY a "
                + "SETTINGS non_replicated_deduplication_window = 10000";
        assertThat(single.render(statement)).isEqualTo(statement);
    }

    @Test
    void theWindowIsTheTablesOwnSettingElseTheServersDefault() {
        String full = "SummingMergeTree(clicks) ORDER BY minute SETTINGS non_replicated_deduplication_window = 0, "
                + "index_granularity = 8192";
        assertThat(DeduplicationHealth.window(full, "non_replicated_deduplication_window", 100)).isZero();
        assertThat(DeduplicationHealth.window(full, "replicated_deduplication_window", 100)).isEqualTo(100);
        assertThat(WarehouseDdl.deduplicationSetting("SharedReplacingMergeTree")).isEqualTo("replicated_deduplication_window");
        assertThat(WarehouseDdl.deduplicationSetting("AggregatingMergeTree")).isEqualTo("non_replicated_deduplication_window");
    }

    @Test
    void aReplicatedWarehouseWithoutAClusterNameIsRefused() {
        assertThatThrownBy(() -> new WarehouseDdl(WarehouseDdl.Kind.REPLICATED, " "))
                .hasMessageContaining("dvd.warehouse.cluster");
    }
}
