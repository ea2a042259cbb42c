package io.dvdrental.pipelines.stream;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Checks the dim_film export pointer in S3 every {@code reference.poll-interval} and swaps in a new version. */
@Component
public class ClickReferenceRefreshRoute extends RouteBuilder {

    private final StreamProperties properties;

    public ClickReferenceRefreshRoute(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        long period = properties.reference().pollInterval().toMillis();
        from("timer:click-reference?delay=" + period + "&period=" + period)
                .routeId("click-reference-refresh")
                .bean(FilmReferenceCache.class, "refresh");
    }
}
