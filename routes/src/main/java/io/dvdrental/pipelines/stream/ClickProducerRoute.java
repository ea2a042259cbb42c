package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.generate.Click;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * Live demo data: website clicks to the click topic at {@code dvd.stream.producer.rate} events per second, from the
 * transforms module's generator. Off by default and in tests; on in the {@code local} profile (./dvd demo).
 */
@Component
public class ClickProducerRoute extends EndpointRouteBuilder {

    public static final String ROUTE_ID = "clicks-producer";
    private static final long TICK_MS = 100;

    private final StreamProperties properties;

    public ClickProducerRoute(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(timer(ROUTE_ID).period(TICK_MS))
                .routeId(ROUTE_ID)
                .autoStartup(properties.producer().enabled())
                .bean(ClickProducerSource.class, "due").id("clicks-producer-due")
                .split(body()).id("clicks-producer-each")
                    .setHeader(KafkaConstants.KEY, simple("${body.key}")).id("clicks-producer-key")
                    .setBody(exchange -> exchange.getMessage().getBody(Click.class).value()).id("clicks-producer-value")
                    .to(kafka(properties.topic())).id("clicks-producer-send")
                .end();
    }
}
