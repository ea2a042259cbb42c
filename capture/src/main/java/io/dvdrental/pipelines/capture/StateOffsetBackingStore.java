package io.dvdrental.pipelines.capture;

import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's offsets in a {@link CaptureStore} (the server's state database) instead of a file or a Kafka topic.
 * Kafka Connect's in-memory store keeps the map and calls {@link #save()} after every change, on its own thread;
 * this loads the map at start and writes it through on every save. The engine creates this class by name (property
 * {@code offset.storage}), so the store of a capture is found by the capture's name ({@link #register}).
 */
public class StateOffsetBackingStore extends MemoryOffsetBackingStore {

    /** Engine property naming the capture whose store holds the offsets. */
    public static final String CAPTURE = "offset.storage.dvd.capture";

    private static final Map<String, CaptureStore> STORES = new ConcurrentHashMap<>();

    private CaptureStore store;

    /** Makes a capture's store reachable for the engines of that capture. */
    public static void register(String capture, CaptureStore store) {
        STORES.put(capture, store);
    }

    public static void unregister(String capture) {
        STORES.remove(capture);
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object capture = config.originals().get(CAPTURE);
        store = capture == null ? null : STORES.get(capture.toString());
        if (store == null) {
            throw new IllegalStateException("No offset store is registered for capture '" + capture + "' ("
                    + CAPTURE + ")");
        }
    }

    @Override
    public synchronized void start() {
        super.start();
        for (Map.Entry<String, String> offset : store.loadOffsets().entrySet()) {
            data.put(bytes(offset.getKey()), offset.getValue() == null ? null : bytes(offset.getValue()));
        }
    }

    /** Runs on the store's executor after {@code set} changed the map; a failure fails that flush of the engine. */
    @Override
    protected void save() {
        Map<String, String> offsets = new LinkedHashMap<>();
        data.forEach((key, value) -> offsets.put(text(key), value == null ? null : text(value)));
        store.saveOffsets(offsets);
    }

    /** Only Kafka Connect's REST API lists a connector's partitions; the embedded engine does not ask. */
    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
