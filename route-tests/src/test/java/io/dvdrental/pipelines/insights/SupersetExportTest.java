package io.dvdrental.pipelines.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.LocalDateTime;
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
 * ClickHouse (against {@link InsightsFixture}'s tables) with the columns the dataset declares. Every chart carries the
 * query context Superset stores when a chart is saved in Explore (without it the chart-data API answers 400), in
 * step with the chart's parameters and dataset, and the SQL Superset makes of it runs on ClickHouse whichever
 * driver writes the GROUP BY.
 */
@RealServicesTest
@SuppressWarnings("unchecked")
class SupersetExportTest {

    private static final Path BUNDLE = Path.of("..", "config", "superset", "dvd_dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Test
    void everyChartCarriesAQueryContextInStepWithItsParamsAndDataset() throws IOException {
        Map<String, Map<String, Object>> datasets = read("datasets");
        for (Map<String, Object> chart : read("charts").values()) {
            String title = (String) chart.get("slice_name");
            assertThat(chart.get("query_context")).as("%s: query_context (null: Superset's chart-data API answers 400 "
                    + "until the chart is saved in Explore)", title).isInstanceOf(String.class);
            Map<String, Object> context = JSON.readValue((String) chart.get("query_context"), Map.class);
            Map<String, Object> params = (Map<String, Object>) chart.get("params");
            Map<String, Object> dataset = datasets.get((String) chart.get("dataset_uuid"));
            Map<String, Object> formData = new LinkedHashMap<>((Map<String, Object>) context.get("form_data"));
            Map<String, Object> datasource = (Map<String, Object>) context.get("datasource");
            assertThat(datasource.get("type")).as(title).isEqualTo("table");
            assertThat(formData.remove("datasource")).as(title + ": form_data datasource")
                    .isEqualTo(datasource.get("id") + "__table");
            assertThat(formData).as(title + ": form_data is the chart's params").isEqualTo(params);

            List<Map<String, Object>> queries = (List<Map<String, Object>>) context.get("queries");
            assertThat(queries).as(title + ": queries").hasSize(1);
            Map<String, Object> query = queries.get(0);
            Set<String> datasetColumns = new HashSet<>(((List<Map<String, Object>>) dataset.get("columns")).stream()
                    .map(c -> (String) c.get("column_name")).toList());
            Set<String> datasetMetrics = new HashSet<>(((List<Map<String, Object>>) dataset.get("metrics")).stream()
                    .map(m -> (String) m.get("metric_name")).toList());
            List<Object> columns = (List<Object>) query.get("columns");
            List<String> metrics = (List<String>) query.get("metrics");
            assertThat(columns).as(title + ": the columns it reads are the dataset's")
                    .allMatch(c -> datasetColumns.contains(SupersetSql.source(c)));
            assertThat(metrics).as(title + ": its metrics are the dataset's saved metrics").isSubsetOf(datasetMetrics);
            assertThat(columns.stream().map(SupersetSql::source).toList()).as(title + ": columns from the params")
                    .containsExactlyElementsOf(expectedColumns(params));
            assertThat(metrics).as(title + ": metrics from the params").containsExactlyElementsOf(expectedMetrics(params));
            if (params.containsKey("x_axis")) {
                assertThat(((Map<String, Object>) columns.get(0)).get("timeGrain")).as(title + ": x-axis time grain")
                        .isEqualTo(params.get("time_grain_sqla"));
            }
            List<Map<String, Object>> filters = (List<Map<String, Object>>) query.get("filters");
            for (Map<String, Object> filter : (List<Map<String, Object>>) params.get("adhoc_filters")) {
                Map<String, Object> expected = new LinkedHashMap<>();
                expected.put("col", filter.get("subject"));
                expected.put("op", filter.get("operator"));
                expected.put("val", filter.get("comparator"));
                assertThat(filters).as(title + ": filters").contains(expected);
            }
            assertThat(query.get("row_limit")).as(title + ": row limit").isEqualTo(params.get("row_limit"));
            Set<String> named = new HashSet<>(metrics);
            columns.forEach(c -> named.add(SupersetSql.label(c)));
            assertThat((List<List<Object>>) query.getOrDefault("orderby", List.of()))
                    .as(title + ": orderby names what the query selects")
                    .allMatch(o -> named.contains((String) o.get(0)));
        }
    }

    @Test
    void streamingChartsShowTheLastFifteenMinutes() throws IOException {
        Map<String, Map<String, Object>> datasets = read("datasets");
        for (Map<String, Object> chart : read("charts").values()) {
            Map<String, Object> dataset = datasets.get((String) chart.get("dataset_uuid"));
            if (!"stream".equals(dataset.get("schema"))) {
                continue;
            }
            // Superset filters on time only through a TEMPORAL_RANGE filter: a bare time_range is ignored.
            assertThat((List<Map<String, Object>>) ((Map<String, Object>) chart.get("params")).get("adhoc_filters"))
                    .as((String) chart.get("slice_name")).contains(Map.of("clause", "WHERE", "expressionType", "SIMPLE",
                            "subject", dataset.get("main_dttm_col"), "operator", "TEMPORAL_RANGE",
                            "comparator", "DATEADD(DATETIME(\"now\"), -15, minute) : now"));
        }
    }

    @Test
    void theSqlOfEveryChartRunsOnClickHouseWithOldAndNewDrivers() throws IOException {
        Map<String, Map<String, Object>> datasets = read("datasets");
        LocalDateTime now = warehouse.getJdbcTemplate().queryForObject("SELECT now()", LocalDateTime.class);
        for (Map<String, Object> chart : read("charts").values()) {
            String title = (String) chart.get("slice_name");
            Map<String, Object> query = ((List<Map<String, Object>>) JSON.readValue((String) chart.get("query_context"),
                    Map.class).get("queries")).get(0);
            List<String> labels = new ArrayList<>();
            ((List<Object>) query.get("columns")).forEach(c -> labels.add(SupersetSql.label(c)));
            labels.addAll((List<String>) query.get("metrics"));
            for (SupersetSql.GroupBy groupBy : SupersetSql.GroupBy.values()) {
                String sql = SupersetSql.render(datasets.get((String) chart.get("dataset_uuid")), query, groupBy, now);
                List<Map<String, Object>> rows;
                try {
                    rows = warehouse.getJdbcTemplate().queryForList(sql);
                } catch (RuntimeException e) {
                    throw new AssertionError(title + ", GROUP BY " + groupBy + ":\n" + sql + "\n" + e.getMessage(), e);
                }
                assertThat(rows).as("%s, GROUP BY %s: rows of the fixture%n%s", title, groupBy, sql).isNotEmpty();
                assertThat(rows.get(0).keySet()).as(title).containsExactlyElementsOf(labels);
            }
        }
    }

    /** What Superset's chart builders put in a query's columns: the x-axis, the dimensions, a map's entity. */
    private static List<String> expectedColumns(Map<String, Object> params) {
        List<String> columns = new ArrayList<>();
        for (String key : List.of("x_axis", "groupby", "entity")) {
            Object value = params.get(key);
            if (value instanceof String s) {
                columns.add(s);
            } else if (value instanceof List<?> list) {
                list.forEach(v -> columns.add((String) v));
            }
        }
        return columns;
    }

    private static List<String> expectedMetrics(Map<String, Object> params) {
        List<String> metrics = new ArrayList<>();
        if (params.get("metrics") instanceof List<?> list) {
            list.forEach(m -> metrics.add((String) m));
        }
        for (String key : List.of("metric", "secondary_metric")) {
            if (params.get(key) instanceof String m && !metrics.contains(m)) {
                metrics.add(m);
            }
        }
        return metrics;
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
