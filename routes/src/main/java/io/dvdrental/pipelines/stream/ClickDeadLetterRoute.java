package io.dvdrental.pipelines.stream;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Bad clicks to the dead-letter topic, as {@link KafkaDeadLetterSender} hands them over: a batch's dead letters are
 * sent together, synchronously, by the ingest round before it commits, so a bad click is never lost.
 */
@Component
public class ClickDeadLetterRoute extends EndpointRouteBuilder {

    public static final String ROUTE_ID = "clicks-dead-letter";
    static final String ENDPOINT = "direct:" + ROUTE_ID;

    private final StreamProperties properties;

    public ClickDeadLetterRoute(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId(ROUTE_ID)
                .to(kafka(properties.dlqTopic())
                        .requestRequiredAcks("all")
                        // A missing topic fails the send in 10 s (not 60) and the sender creates it again.
                        .maxBlockMs(10_000)
                        // The body is a batch's list of dead letters, each with its own key and reason headers.
                        .batchWithIndividualHeaders(true))
                .id("clicks-dead-letter-send");
    }
}
