package io.dvdrental.pipelines.capture;

import java.util.Map;

/**
 * Where a capture keeps what it must not forget across restarts: the engine's offsets (its position in the source's
 * write-ahead log), the snapshot's LSN and the capture's generation. Every reset (a resnapshot) starts a new
 * generation, a name never used before (time and randomness, not a counter that a new state database would start
 * again), so that what a new snapshot writes never looks like a repeat of what an older one wrote.
 */
public interface CaptureStore {

    /** The generation and the LSN of its initial snapshot (0 while the snapshot has not started). */
    record State(String generation, long snapshotLsn) {
    }

    State state();

    void snapshotTaken(long snapshotLsn);

    /** The engine's offsets: serialized partition key to serialized offset (Kafka Connect's JSON). */
    Map<String, String> loadOffsets();

    /** Replaces the stored offsets (all of them: the engine always hands over its whole map). */
    void saveOffsets(Map<String, String> offsets);

    /** Forgets the offsets and the snapshot and starts a new generation; the next start snapshots again. */
    void reset(String reason);
}
