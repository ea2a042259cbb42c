package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Superset/Preset export in config/superset: every YAML parses, the charts, datasets, database and dashboards
 * reference each other, every column and metric a chart uses is in its dataset, and every dataset's SQL runs on
 * ClickHouse (against {@link InsightsFixture}'s tables) with the columns the dataset declares.
 */
@RealServicesTest
@SuppressWarnings("unchecked")
class SupersetExportTest {

    private static final Path BUNDLE = Path.of("..", "config", "superset", "dvd_dashboards");

    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    static boolean loaded;

    @BeforeEach
    void tablesExist() {
        if (!loaded) {
            new InsightsFixture(warehouse).load();
            loaded = true;
        }
    }

    private static Map<String, Map<String, Object>> read(String folder) throws IOException {
        Map<String, Map<String, Object>> byUuid = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(BUNDLE.resolve(folder))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    Map<String, Object> doc = new Yaml().load(reader);
                    assertThat(doc).as(file.toString()).containsEntry("version", "1.0.0").containsKey("uuid");
                    assertThat(byUuid.put((String) doc.get("uuid"), doc)).as("uuid of " + file + " is unique").isNull();
                }
            }
        }
        return byUuid;
    }

    @Test
    void theBundleIsConsistentAndItsSqlRunsOnClickHouse() throws IOException {
        try (Reader reader = Files.newBufferedReader(BUNDLE.resolve("metadata.yaml"))) {
            Map<String, Object> metadata = new Yaml().load(reader);
            assertThat(metadata).containsEntry("type", "Dashboard").containsEntry("version", "1.0.0");
        }
        Map<String, Map<String, Object>> databases = read("databases");
        Map<String, Map<String, Object>> datasets = read("datasets");
        Map<String, Map<String, Object>> charts = read("charts");
        Map<String, Map<String, Object>> dashboards = read("dashboards");
        assertThat(databases).hasSize(1);
        assertThat((String) databases.values().iterator().next().get("sqlalchemy_uri"))
                .startsWith("clickhousedb://").contains(":XXXXXXXXXX@");
        assertThat(datasets).hasSize(5);
        assertThat(charts).hasSize(11);
        assertThat(dashboards).hasSize(2);

        Map<String, Set<String>> fieldsByDataset = new LinkedHashMap<>();
        for (Map<String, Object> dataset : datasets.values()) {
            String name = (String) dataset.get("table_name");
            assertThat(databases).as(name + " database").containsKey((String) dataset.get("database_uuid"));
            List<String> declared = ((List<Map<String, Object>>) dataset.get("columns")).stream()
                    .map(c -> (String) c.get("column_name")).toList();
            assertThat(columnsOf((String) dataset.get("sql"))).as(name + " SQL columns").containsExactlyElementsOf(declared);
            Set<String> fields = new HashSet<>(declared);
            for (Map<String, Object> metric : (List<Map<String, Object>>) dataset.get("metrics")) {
                warehouse.getJdbcTemplate().queryForList("SELECT " + metric.get("expression") + " FROM ("
                        + dataset.get("sql") + ")");
                fields.add((String) metric.get("metric_name"));
            }
            fieldsByDataset.put((String) dataset.get("uuid"), fields);
        }

        for (Map<String, Object> chart : charts.values()) {
            String title = (String) chart.get("slice_name");
            assertThat(title).as("chart title is the business question").endsWith("?");
            Set<String> fields = fieldsByDataset.get((String) chart.get("dataset_uuid"));
            assertThat(fields).as(title + " dataset").isNotNull();
            assertThat(fields).as(title + " fields").containsAll(fieldsUsed((Map<String, Object>) chart.get("params")));
        }

        Set<String> placed = new HashSet<>();
        for (Map<String, Object> dashboard : dashboards.values()) {
            Map<String, Object> position = (Map<String, Object>) dashboard.get("position");
            for (Object component : position.values()) {
                if (component instanceof Map<?, ?> c && "CHART".equals(c.get("type"))) {
                    String uuid = (String) ((Map<String, Object>) c.get("meta")).get("uuid");
                    assertThat(charts).as("chart on " + dashboard.get("dashboard_title")).containsKey(uuid);
                    placed.add(uuid);
                }
            }
        }
        assertThat(placed).as("every chart is on a dashboard").isEqualTo(charts.keySet());
        assertThat(dashboards.values()).extracting(d -> ((Map<String, Object>) d.get("metadata")).get("refresh_frequency"))
                .containsExactlyInAnyOrder(0, 10);
    }

    private List<String> columnsOf(String sql) {
        return warehouse.getJdbcTemplate().query("SELECT * FROM (" + sql + ") LIMIT 1", rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnLabel(i));
            }
            return names;
        });
    }

    /** The dataset columns and saved metrics a chart's parameters name. */
    private static Set<String> fieldsUsed(Map<String, Object> params) {
        Set<String> used = new HashSet<>();
        for (String key : List.of("x_axis", "entity", "metric", "secondary_metric", "groupby", "metrics")) {
            Object value = params.get(key);
            if (value instanceof String s) {
                used.add(s);
            } else if (value instanceof List<?> list) {
                list.forEach(v -> used.add((String) v));
            }
        }
        for (Map<String, Object> filter : (List<Map<String, Object>>) params.getOrDefault("adhoc_filters", List.of())) {
            used.add((String) filter.get("subject"));
        }
        return used;
    }
}
