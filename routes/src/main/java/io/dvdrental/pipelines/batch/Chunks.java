package io.dvdrental.pipelines.batch;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.ExpressionAdapter;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The extract's split and aggregate work on chunks of rows: the streamed result set is split into chunks (one exchange
 * per chunk, not per row, which keeps Camel's per-exchange cost off the row path) and the chunks are aggregated into
 * insert batches. Closing the chunk iterator closes the result set, as the split does when it ends.
 */
final class Chunks<T> implements Iterator<List<T>>, Closeable {

    private final Iterator<T> rows;
    private final int size;

    private Chunks(Iterator<T> rows, int size) {
        this.rows = rows;
        this.size = size;
    }

    /** Splits a message body that is an iterator (camel-sql's StreamList) into lists of at most {@code size}. */
    static Expression of(int size) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                Iterator<?> rows = exchange.getMessage().getBody(Iterator.class);
                if (rows == null) {
                    throw new IllegalArgumentException("The extract query did not answer a row stream");
                }
                return new Chunks<>(rows, size);
            }

            @Override
            public <X> X evaluate(Exchange exchange, Class<X> type) {
                return type.cast(evaluate(exchange));
            }
        };
    }

    /** Concatenates the chunks of one batch. */
    static AggregationStrategy concatenated() {
        return (oldExchange, newExchange) -> {
            if (oldExchange == null) {
                newExchange.getMessage().setBody(new ArrayList<>(newExchange.getMessage().getBody(List.class)));
                return newExchange;
            }
            @SuppressWarnings("unchecked")
            List<Object> batch = oldExchange.getMessage().getBody(List.class);
            batch.addAll(newExchange.getMessage().getBody(List.class));
            return oldExchange;
        };
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public List<T> next() {
        if (!rows.hasNext()) {
            throw new NoSuchElementException();
        }
        List<T> chunk = new ArrayList<>(size);
        while (chunk.size() < size && rows.hasNext()) {
            chunk.add(rows.next());
        }
        return chunk;
    }

    @Override
    public void close() throws IOException {
        if (rows instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
