package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.generate.Click;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * Live demo data: website clicks to the click topic at {@code dvd.stream.producer.rate} events per second, from the
 * producer module's generator. Off by default and in tests; on in the {@code local} profile (./dvd demo).
 */
@Component
public class ClickProducerRoute extends RouteBuilder {

    private static final long TICK_MS = 100;

    private final StreamProperties properties;

    public ClickProducerRoute(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from("timer:click-producer?period=" + TICK_MS)
                .routeId("click-producer")
                .autoStartup(properties.producer().enabled())
                .bean(ClickProducerSource.class, "due")
                .split(body())
                    .setHeader(KafkaConstants.KEY, simple("${body.key}"))
                    .setBody(exchange -> exchange.getMessage().getBody(Click.class).value())
                    .to("kafka:" + properties.topic()
                            + "?keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                            + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                .end();
    }
}
