package io.dvdrental.pipelines.producer.hostile;

/**
 * One hostile click as it goes to Kafka. {@code key} is unique in a corpus (so the event can be recognised in the
 * dead-letter topic even when its value is empty or null), {@code value} is null for a tombstone record, and
 * {@code eventId} is the event id the value carries where it still has one (it starts with
 * {@link HostileCorpus#EVENT_ID_PREFIX}), so that a warehouse query can prove none of them landed.
 */
public record HostileEvent(int seq, HostileCategory category, String variant, String key, byte[] value,
                           String eventId) {
}
