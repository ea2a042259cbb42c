package io.dvdrental.pipelines.stream;

import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.springframework.stereotype.Component;

/** Checks the dim_film export pointer in S3 every {@code reference.poll-interval} and swaps in a new version. */
@Component
public class ClickReferenceRefreshRoute extends EndpointRouteBuilder {

    public static final String ROUTE_ID = "clicks-reference-refresh";

    private final StreamProperties properties;

    public ClickReferenceRefreshRoute(StreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        long period = properties.reference().pollInterval().toMillis();
        from(timer(ROUTE_ID).delay(period).period(period))
                .routeId(ROUTE_ID)
                .bean(FilmReferenceCache.class, "refresh").id("clicks-reference-load");
    }
}
