package io.dvdrental.pipelines.stream;

import java.io.IOException;
import java.io.OutputStream;

/** Rows of {@code stream.dvd_clicks} in ClickHouse's RowBinary format ({@link ClickRows#NAMES_AND_TYPES}), one insert's. */
public interface RowBinary {

    int count();

    /** Writes the rows; again the same bytes when asked again (a retried insert). */
    void writeTo(OutputStream out) throws IOException;
}
