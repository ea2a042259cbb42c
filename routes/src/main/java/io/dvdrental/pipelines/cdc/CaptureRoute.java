package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.capture.CaptureComponent;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code cdc-capture}: every change of the source's tables into bronze, batch by batch, as the capture hands them
 * over. The endpoint is configured by objects (it has no URI options and no generated Endpoint DSL builder): its
 * URI only names the capture. A failed batch fails the exchange; the capture then restarts its engine after a
 * back-off and hands the changes over again from its last stored offset.
 */
@Component
@ConditionalOnProperty(name = "dvd.batch.capture", havingValue = "cdc")
public class CaptureRoute extends RouteBuilder {

    public static final String ROUTE_ID = "cdc-capture";
    public static final String STORE = "cdc-store-bronze";

    private final CaptureProperties properties;

    public CaptureRoute(CaptureProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(CaptureComponent.uri(properties.captureName())).routeId(ROUTE_ID)
                .bean(ChangeIngest.class, "store").id(STORE);
    }
}
