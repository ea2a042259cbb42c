package io.dvdrental.pipelines.transforms.batch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelGraphTest {

    private static final SourceTables TABLES = SourceTables.load();

    private static Model model(String name, String header) {
        String[] parts = name.split("\\.");
        return Model.parse("models/" + parts[0] + "/" + parts[1] + ".sql", header + "\nSELECT 1 AS x");
    }

    @Test
    void parsesTheHeader() {
        Model m = Model.parse("/x/models/gold/dim_film.sql", """
                -- Films.
                -- depends_on: silver.dvd_film, silver.dvd_category
                -- order_by: film_id
                -- tests: unique(film_id), not_null(title), unique(a, b)
                SELECT film_id FROM silver.dvd_film;
                """);
        assertThat(m.name()).isEqualTo("gold.dim_film");
        assertThat(m.dependsOn()).containsExactly("silver.dvd_film", "silver.dvd_category");
        assertThat(m.orderBy()).isEqualTo("film_id");
        assertThat(m.materialized()).isEqualTo(Model.Materialized.TABLE);
        assertThat(m.tests()).extracting(DataTest::name).containsExactly("unique(film_id)", "not_null(title)",
                "unique(a, b)");
        assertThat(m.select()).isEqualTo("-- Films.\nSELECT film_id FROM silver.dvd_film");
        assertThat(DataTest.failuresSql(m.tests().subList(2, 3), null))
                .isEqualTo("SELECT (SELECT count() FROM (SELECT a, b FROM gold.dim_film GROUP BY a, b HAVING count() > 1))");
        assertThat(DataTest.failuresSql(m.tests().subList(0, 2), "film_id IN (SELECT film_id FROM changes)")).isEqualTo(
                "SELECT (SELECT count() FROM (SELECT film_id FROM gold.dim_film WHERE film_id IN (SELECT film_id FROM "
                        + "changes) GROUP BY film_id HAVING count() > 1)), countIf(isNull(title)) FROM gold.dim_film "
                        + "WHERE film_id IN (SELECT film_id FROM changes)");
        assertThat(m.tests()).extracting(t -> t.holdsOnUnchangedRowsOf(List.of("film_id")))
                .containsExactly(true, true, false);
    }

    /** A model that only filters on a table's keys changes with the keys that table holds, not with its rows. */
    @Test
    void aModelReadsATableOnlyAsItsKeysWhereverItNamesIt() {
        Model payment = Model.parse("models/silver/dvd_payment.sql", """
                SELECT * FROM bronze.payment
                WHERE customer_id IN (SELECT customer_id FROM bronze.customer)
                  AND (rental_id IS NULL OR rental_id IN ( select rental_id from bronze.rental ))
                """);
        assertThat(payment.readsOnlyKeysOf("bronze.rental", List.of("rental_id"))).isTrue();
        assertThat(payment.readsOnlyKeysOf("bronze.customer", List.of("customer_id"))).isTrue();
        assertThat(payment.readsOnlyKeysOf("bronze.payment", List.of("payment_id"))).isFalse();
        assertThat(payment.readsOnlyKeysOf("bronze.staff", List.of("staff_id"))).as("not named").isFalse();
        Model joined = payment.withSelect(payment.select() + " AND rental_id IN (SELECT rental_id FROM bronze.rental "
                + "WHERE return_date IS NULL)");
        assertThat(joined.readsOnlyKeysOf("bronze.rental", List.of("rental_id"))).isFalse();
        assertThat(payment.withSelect(payment.select().replace("bronze.customer", "bronze.customers"))
                .readsOnlyKeysOf("bronze.customer", List.of("customer_id"))).isFalse();
    }

    @Test
    void theFingerprintChangesWithWhatBuildsTheTableOnly() {
        String sql = "-- depends_on: silver.dvd_film\n-- order_by: film_id\n-- tests: unique(film_id)\n"
                + "SELECT film_id FROM silver.dvd_film";
        String fingerprint = Model.parse("models/gold/dim_film.sql", sql).fingerprint();
        assertThat(fingerprint).hasSize(64)
                .isEqualTo(Model.parse("models/gold/dim_film.sql", sql).fingerprint())
                .isEqualTo(Model.parse("models/gold/dim_film.sql", sql.replace("unique(film_id)", "not_null(film_id)")
                        + "\n").fingerprint());
        assertThat(Model.parse("models/gold/dim_film.sql", sql.replace("SELECT film_id", "SELECT film_id, 1 AS x"))
                .fingerprint()).isNotEqualTo(fingerprint);
        assertThat(Model.parse("models/gold/dim_film.sql", sql.replace("order_by: film_id", "order_by: tuple()"))
                .fingerprint()).isNotEqualTo(fingerprint);
        assertThat(Model.parse("models/gold/dim_film.sql", "-- materialized: view\n" + sql).fingerprint())
                .isNotEqualTo(fingerprint);
    }

    @Test
    void anIncrementalModelDeclaresItsUniqueKeyAndOnlyItDoes() {
        Model m = model("gold.fact", "-- depends_on: silver.rental\n-- materialized: incremental\n"
                + "-- unique_key: rental_id, version");
        assertThat(m.materialized()).isEqualTo(Model.Materialized.INCREMENTAL);
        assertThat(m.uniqueKey()).containsExactly("rental_id", "version");
        assertThat(m.fingerprint()).isNotEqualTo(model("gold.fact", "-- depends_on: silver.rental\n"
                + "-- materialized: incremental\n-- unique_key: rental_id").fingerprint());
        assertThatThrownBy(() -> model("gold.fact", "-- materialized: incremental"))
                .hasMessageContaining("unique_key");
        assertThatThrownBy(() -> model("gold.fact", "-- unique_key: rental_id")).hasMessageContaining("unique_key");
    }

    @Test
    void ordersUpstreamsFirstThenByLayerAndName() {
        ModelGraph graph = new ModelGraph(List.of(
                model("gold.report", "-- depends_on: gold.fact, gold.dim_date"),
                model("gold.fact", "-- depends_on: silver.rental"),
                model("gold.dim_date", ""),
                model("silver.rental", "-- depends_on: bronze.rental"),
                model("silver.actor", "-- depends_on: bronze.actor")), List.of("bronze.rental", "bronze.actor"));
        assertThat(graph.order()).containsExactly("silver.actor", "silver.rental", "gold.dim_date", "gold.fact",
                "gold.report");
        assertThat(graph.layer("gold")).containsExactly("gold.dim_date", "gold.fact", "gold.report");
        assertThat(graph.withDownstream(List.of("gold.dim_date"))).containsExactly("gold.dim_date", "gold.report");
        assertThat(graph.withDownstream(List.of("silver.rental")))
                .containsExactly("silver.rental", "gold.fact", "gold.report");
    }

    @Test
    void refusesUnknownUpstreamsAndCycles() {
        assertThatThrownBy(() -> new ModelGraph(List.of(model("silver.a", "-- depends_on: bronze.nope")), List.of()))
                .hasMessageContaining("silver.a depends on bronze.nope, which is neither a model nor a source");
        assertThatThrownBy(() -> new ModelGraph(List.of(
                model("gold.a", "-- depends_on: gold.b"),
                model("gold.b", "-- depends_on: gold.c"),
                model("gold.c", "-- depends_on: gold.a")), List.of()))
                .hasMessageContaining("cycle").hasMessageContaining("gold.a -> gold.b -> gold.c -> gold.a");
    }

    @Test
    void refusesUnknownTests() {
        assertThatThrownBy(() -> model("gold.a", "-- tests: accepted_values(x)"))
                .hasMessageContaining("unknown test accepted_values");
    }

    /** The project's model files, path to text, as written (placeholders not filled in). */
    private static Map<Path, String> projectModelFiles() throws URISyntaxException, IOException {
        Path models = Path.of(ModelGraphTest.class.getResource("/models").toURI());
        try (Stream<Path> files = Files.walk(models)) {
            return files.filter(p -> p.toString().endsWith(".sql")).collect(Collectors.toMap(p -> p, p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
    }

    /** The project's own models form a graph: every upstream exists, no cycle, dim_date chains into its dependants. */
    @Test
    void theProjectModelsFormAGraph() throws URISyntaxException, IOException {
        List<Model> all = projectModelFiles().entrySet().stream()
                .map(f -> Model.parse(f.getKey().toString(), TABLES.render(f.getValue()))).toList();
        ModelGraph graph = new ModelGraph(all, TABLES.tables().stream().map(SourceTable::bronzeTable).toList());
        assertThat(graph.order()).contains("silver.dvd_customer_scd2", "gold.report_rentals", "gold.dim_film");
        assertThat(graph.order().indexOf("gold.fact_rental")).isLessThan(graph.order().indexOf("gold.report_rentals"));
        assertThat(graph.withDownstream(List.of("gold.dim_date")))
                .containsExactly("gold.dim_date", "gold.fact_rental_monthly", "gold.report_rentals");
        assertThat(graph.model("gold.report_rentals").tests()).extracting(DataTest::name).contains("unique(rental_id)");
    }

    /**
     * Every current-state silver model (one per source table; customer's comes from its SCD2 history) keeps a key's
     * latest change in the one order, written once, and no model file spells an order of versions by hand.
     */
    @Test
    void currentStateModelsTakeTheLatestChangeInTheOneOrder() throws URISyntaxException, IOException {
        Map<String, Model> models = projectModelFiles().entrySet().stream()
                .map(f -> Model.parse(f.getKey().toString(), TABLES.render(f.getValue())))
                .collect(Collectors.toMap(Model::name, m -> m));
        List<SourceTable> currentState = TABLES.tables().stream().filter(t -> !t.name().equals("customer")).toList();
        assertThat(currentState).hasSize(14);
        for (SourceTable table : currentState) {
            assertThat(models.get("silver.dvd_" + table.name()).select()).as(table.name())
                    .contains("FROM " + table.bronzeTable() + "\n").contains(table.latestPerKey());
        }
        assertThat(TABLES.get("rental").latestPerKey()).isEqualTo("ORDER BY rental_id, _lsn DESC, _change_lsn DESC, "
                + "last_update DESC, _extracted_at DESC LIMIT 1 BY rental_id");
        assertThat(TABLES.get("payment").latestFirst()).contains("payment_date DESC");
        assertThat(projectModelFiles().values()).noneMatch(text -> text.contains("_lsn DESC"));
    }

    @Test
    void aModelsPlaceholdersAreFilledInOrRefused() {
        assertThat(TABLES.render("SELECT * FROM bronze.film_actor {{latest_per_key film_actor}}")).isEqualTo(
                "SELECT * FROM bronze.film_actor ORDER BY actor_id, film_id, _lsn DESC, _change_lsn DESC, "
                        + "last_update DESC, _extracted_at DESC LIMIT 1 BY actor_id, film_id");
        assertThatThrownBy(() -> TABLES.render("{{latest_per_key films}}")).hasMessageContaining("Unknown source table");
        assertThatThrownBy(() -> TABLES.render("{{latest films}}")).hasMessageContaining("Unknown placeholder");
    }
}
