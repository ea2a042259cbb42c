package io.dvdrental.pipelines.stream;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One insert's rows of {@code stream.dvd_clicks}, in ClickHouse's Native format: by column, the columns of
 * {@link ClickRows#NAMES_AND_TYPES} in order, the LowCardinality ones as String ({@link ClickRows#STRUCTURE}).
 */
public interface ClickBlock {

    int count();

    /** Writes the rows; again the same bytes when asked again (a retried insert). */
    void writeTo(OutputStream out) throws IOException;
}
