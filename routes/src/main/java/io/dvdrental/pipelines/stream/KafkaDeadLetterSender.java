package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.config.KafkaClientSettings;
import io.dvdrental.pipelines.transforms.clicks.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Dead letters to the dead-letter topic through the route {@code clicks-dead-letter}: the original bytes and key, with
 * {@code dlq.reason}, {@code dlq.source.topic/topic_id/partition/offset} and {@code dlq.detected_at} headers. A batch's
 * letters go as one Kafka batch and every acknowledgement is awaited (one send per letter cost a broker round trip
 * each and halved the valid throughput of a stream with hostile clicks in it).
 *
 * <p>What Kafka refuses must not fail the round for ever (it would hold the partition, and every partition of its
 * consumer): a letter larger than a producer request may be has its original kept in S3 ({@link DeadLetterArchive})
 * and goes to the topic without its bytes, with {@code dlq.original.location} and {@code dlq.original.size}; when the
 * topic has gone, it is created again and the letters sent once more.
 */
@Component
public class KafkaDeadLetterSender implements DeadLetterSender {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetterSender.class);
    /** Room left in a request for the record batch's own framing. */
    private static final int FRAMING = 1_024;

    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final ClickTopics topics;
    private final DeadLetterArchive archive;
    private final String dlqTopic;
    private final int maxRequestSize;
    private final MeterRegistry meters;
    /** Dead letters sent, by reason: looked up once, not per letter. */
    private final Map<Rejection.Reason, Counter> sentByReason = new EnumMap<>(Rejection.Reason.class);
    private final Clock clock = Clock.systemUTC();

    public KafkaDeadLetterSender(ProducerTemplate producer, CamelContext camel, ClickTopics topics,
                                 DeadLetterArchive archive, KafkaClientSettings kafka, StreamProperties properties,
                                 MeterRegistry meters) {
        this.producer = producer;
        this.camel = camel;
        this.topics = topics;
        this.archive = archive;
        this.dlqTopic = properties.dlqTopic();
        this.maxRequestSize = kafka.maxRequestSize();
        this.meters = meters;
        for (Rejection.Reason reason : Rejection.Reason.values()) {
            sentByReason.put(reason, meters.counter("dvd.stream.clicks.dead_letters", "reason", reason.code()));
        }
    }

    @Override
    public void send(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        // The letters of a send are detected together: one time for all.
        String detectedAt = Instant.now(clock).toString();
        List<Message> messages = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            Message message = message(letter, detectedAt);
            messages.add(size(message) > maxRequestSize - FRAMING ? message(kept(letter), detectedAt) : message);
        }
        Exchange sent = sendBatch(messages);
        if (sent.getException() != null && dlqTopicExists(sent.getException())) {
            sent = sendBatch(messages);
        }
        if (sent.getException() != null && cause(sent.getException(), RecordTooLargeException.class)) {
            // The broker's limit is below the producer's: send one by one, keeping the refused ones in S3.
            sent = sendOneByOne(letters, detectedAt);
        }
        if (sent.getException() != null) {
            DeadLetter first = letters.get(0);
            throw new IllegalStateException("Cannot send " + letters.size() + " dead letters of "
                    + first.source().topic() + "-" + first.source().partition() + " from offset " + first.offset(),
                    sent.getException());
        }
        letters.forEach(letter -> sentByReason.get(letter.rejection().reason()).increment());
    }

    private DeadLetter kept(DeadLetter letter) {
        DeadLetter kept = archive.keep(letter);
        meters.counter("dvd.stream.clicks.dead_letters.kept_in_s3").increment();
        LOG.warn("Dead letter of {}-{}@{} ({} bytes) is too large for Kafka; original kept at {}",
                letter.source().topic(), letter.source().partition(), letter.offset(), letter.originalSize(),
                kept.originalLocation());
        return kept;
    }

    private Exchange sendOneByOne(List<DeadLetter> letters, String detectedAt) {
        Exchange sent = null;
        for (DeadLetter letter : letters) {
            sent = sendBatch(List.of(message(letter, detectedAt)));
            if (sent.getException() != null && cause(sent.getException(), RecordTooLargeException.class)) {
                sent = sendBatch(List.of(message(kept(letter), detectedAt)));
            }
            if (sent.getException() != null) {
                return sent;
            }
        }
        return sent;
    }

    private Exchange sendBatch(List<Message> messages) {
        return producer.send(ClickDeadLetterRoute.ENDPOINT, exchange -> exchange.getMessage().setBody(messages));
    }

    /**
     * After a failed send: creates the dead-letter topic if it is missing (another partition's sender may have done so
     * meanwhile) and says whether it exists now, so that the letters are sent once more.
     */
    private boolean dlqTopicExists(Exception failure) {
        try {
            if (topics.createMissing().contains(dlqTopic)) {
                LOG.warn("The dead-letter topic was missing ({}); created it again", failure.getMessage());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("Cannot check the dead-letter topic after a failed send: {}", e.getMessage());
            return false;
        }
    }

    private Message message(DeadLetter letter, String detectedAt) {
        Message message = new DefaultMessage(camel);
        message.setBody(letter.value());
        if (letter.key() != null) {
            message.setHeader(KafkaConstants.KEY, letter.key());
        }
        ClickPartition source = letter.source();
        message.setHeader("dlq.reason", letter.rejection().describe());
        message.setHeader("dlq.source.topic", source.topic());
        message.setHeader("dlq.source.topic_id", source.topicId());
        message.setHeader("dlq.source.partition", String.valueOf(source.partition()));
        message.setHeader("dlq.source.offset", String.valueOf(letter.offset()));
        message.setHeader("dlq.detected_at", detectedAt);
        if (letter.originalLocation() != null) {
            message.setHeader("dlq.original.location", letter.originalLocation());
            message.setHeader("dlq.original.size", String.valueOf(letter.originalSize()));
        }
        return message;
    }

    /** Bytes of the record Kafka would send: value, key, header names and values (an upper bound's main part). */
    private static long size(Message message) {
        byte[] value = message.getBody(byte[].class);
        long size = value == null ? 0 : value.length;
        Object key = message.getHeader(KafkaConstants.KEY);
        if (key != null) {
            size += utf8Length(key.toString());
        }
        for (var header : message.getHeaders().entrySet()) {
            size += header.getKey().length() + utf8Length(String.valueOf(header.getValue()));
        }
        return size;
    }

    /** The length of {@code text} in UTF-8, counted, not encoded (an unpaired surrogate counts as its "?"). */
    static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    private static boolean cause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
