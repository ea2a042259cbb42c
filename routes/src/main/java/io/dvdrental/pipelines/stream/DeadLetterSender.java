package io.dvdrental.pipelines.stream;

import java.util.List;

/**
 * Where the ingest puts the records it refuses. {@link #send} returns only once every letter is stored durably (or
 * throws, and the round is redelivered): a partition's offsets are committed after its dead letters are out.
 */
public interface DeadLetterSender {

    void send(List<DeadLetter> letters);
}
