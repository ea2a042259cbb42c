package io.dvdrental.pipelines.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A capture's state in memory; {@link #failSaves} makes the next saves fail as a lost database would. */
final class InMemoryCaptureStore implements CaptureStore {

    private final Map<String, String> offsets = new LinkedHashMap<>();
    private int generation = 1;
    private long snapshotLsn;
    final AtomicInteger saves = new AtomicInteger();
    volatile boolean failSaves;

    @Override
    public synchronized State state() {
        return new State("g" + generation, snapshotLsn);
    }

    @Override
    public synchronized void snapshotTaken(long lsn) {
        snapshotLsn = lsn;
    }

    @Override
    public synchronized Map<String, String> loadOffsets() {
        return new LinkedHashMap<>(offsets);
    }

    @Override
    public synchronized void saveOffsets(Map<String, String> replacement) {
        if (failSaves) {
            throw new IllegalStateException("state database away");
        }
        offsets.clear();
        offsets.putAll(replacement);
        saves.incrementAndGet();
    }

    @Override
    public synchronized void reset(String reason) {
        offsets.clear();
        snapshotLsn = 0;
        generation++;
    }
}
