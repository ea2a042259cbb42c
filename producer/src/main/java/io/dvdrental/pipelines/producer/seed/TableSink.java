package io.dvdrental.pipelines.producer.seed;

import java.util.List;
import java.util.function.Consumer;

/** Where generated tables go, one table at a time in foreign-key order: a database, or a list in tests. */
public interface TableSink {

    /** Receives the rows of {@code table}; {@code rows} writes them through the given writer, once. */
    void load(String table, List<String> columns, Consumer<RowWriter> rows);
}
