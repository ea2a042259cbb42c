package io.dvdrental.pipelines.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Dead letters to the dead-letter topic through the route {@code clicks-dead-letter}: the original bytes and key, with
 * {@code dlq.reason}, {@code dlq.source.topic/partition/offset} and {@code dlq.detected_at} headers. A batch's letters
 * go as one Kafka batch and every acknowledgement is awaited (one send per letter cost a broker round trip each and
 * halved the valid throughput of a stream with hostile clicks in it). When the topic has gone, it is created again
 * and the letters sent once more, instead of failing the round, and with it every partition of the consumer, for ever.
 */
@Component
public class KafkaDeadLetterSender implements DeadLetterSender {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetterSender.class);

    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final ClickTopics topics;
    private final String dlqTopic;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    public KafkaDeadLetterSender(ProducerTemplate producer, CamelContext camel, ClickTopics topics,
                                 StreamProperties properties, MeterRegistry meters) {
        this.producer = producer;
        this.camel = camel;
        this.topics = topics;
        this.dlqTopic = properties.dlqTopic();
        this.meters = meters;
    }

    @Override
    public void send(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        Exchange sent = sendBatch(letters);
        if (sent.getException() != null && dlqTopicRecreated(sent.getException())) {
            sent = sendBatch(letters);
        }
        if (sent.getException() != null) {
            DeadLetter first = letters.get(0);
            throw new IllegalStateException("Cannot send " + letters.size() + " dead letters of " + first.topic() + "-"
                    + first.partition() + " from offset " + first.offset(), sent.getException());
        }
        letters.forEach(letter -> meters.counter("dvd.stream.clicks.dead_letters", "reason",
                letter.rejection().reason().code()).increment());
    }

    private Exchange sendBatch(List<DeadLetter> letters) {
        List<Message> messages = letters.stream().map(this::message).toList();
        return producer.send(ClickDeadLetterRoute.ENDPOINT, exchange -> exchange.getMessage().setBody(messages));
    }

    /** After a failed send: whether the dead-letter topic was missing and has been created now. */
    private boolean dlqTopicRecreated(Exception failure) {
        try {
            boolean created = topics.createMissing().contains(dlqTopic);
            if (created) {
                LOG.warn("The dead-letter topic was missing ({}); created it again", failure.getMessage());
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("Cannot check the dead-letter topic after a failed send: {}", e.getMessage());
            return false;
        }
    }

    private Message message(DeadLetter letter) {
        Message message = new DefaultMessage(camel);
        message.setBody(letter.value());
        if (letter.key() != null) {
            message.setHeader(KafkaConstants.KEY, letter.key());
        }
        message.setHeader("dlq.reason", letter.rejection().describe());
        message.setHeader("dlq.source.topic", letter.topic());
        message.setHeader("dlq.source.partition", String.valueOf(letter.partition()));
        message.setHeader("dlq.source.offset", String.valueOf(letter.offset()));
        message.setHeader("dlq.detected_at", Instant.now(clock).toString());
        return message;
    }
}
