package io.dvdrental.pipelines.producer.seed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Keeps generated rows in memory, by table, for assertions. */
final class CollectingSink implements TableSink {

    final Map<String, List<String>> columns = new LinkedHashMap<>();
    final Map<String, List<Object[]>> rows = new LinkedHashMap<>();

    @Override
    public void load(String table, List<String> tableColumns, Consumer<RowWriter> writer) {
        columns.put(table, tableColumns);
        List<Object[]> tableRows = new ArrayList<>();
        writer.accept(values -> tableRows.add(values.clone()));
        rows.put(table, tableRows);
    }

    List<Object[]> rows(String table) {
        return rows.get(table);
    }

    /** The values of one column, by name. */
    List<Object> column(String table, String column) {
        int index = columns.get(table).indexOf(column);
        return rows(table).stream().map(r -> r[index]).toList();
    }

    static CollectingSink generate(long seed, double scale) {
        CollectingSink sink = new CollectingSink();
        new RentalDataGenerator(new SeedPlan(seed, scale)).generate(sink);
        return sink;
    }
}
