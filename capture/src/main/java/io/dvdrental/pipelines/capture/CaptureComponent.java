package io.dvdrental.pipelines.capture;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code dvd-cdc:<capture>}: change data capture from PostgreSQL as a Camel consumer. The captures are configured as
 * objects ({@link CaptureSettings}, from typed configuration), not by URI options: the URI only names one.
 */
public class CaptureComponent extends DefaultComponent {

    public static final String SCHEME = "dvd-cdc";

    private final Map<String, CaptureSettings> captures = new ConcurrentHashMap<>();

    public CaptureComponent(CaptureSettings... captures) {
        for (CaptureSettings capture : captures) {
            this.captures.put(capture.name(), capture);
        }
    }

    /** The endpoint URI of a capture. */
    public static String uri(String capture) {
        return SCHEME + ":" + capture;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        CaptureSettings settings = captures.get(remaining);
        if (settings == null) {
            throw new IllegalArgumentException("No capture named '" + remaining + "'; known: " + captures.keySet());
        }
        return new CaptureEndpoint(uri, this, settings);
    }
}
