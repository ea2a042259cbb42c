package io.dvdrental.pipelines.capture;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultEndpoint;

import java.time.Clock;

/**
 * One capture: a consumer only. Its state, last error and counters are JMX attributes of the endpoint, so Hawtio shows
 * them beside the route.
 */
@ManagedResource(description = "Change data capture from PostgreSQL")
public class CaptureEndpoint extends DefaultEndpoint {

    private final CaptureSettings settings;
    private final CaptureStatus status = new CaptureStatus(Clock.systemUTC());

    CaptureEndpoint(String uri, CaptureComponent component, CaptureSettings settings) {
        super(uri, component);
        this.settings = settings;
    }

    public CaptureSettings settings() {
        return settings;
    }

    public CaptureStatus status() {
        return status;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        CaptureConsumer consumer = new CaptureConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("dvd-cdc endpoints only consume");
    }

    @ManagedAttribute(description = "STOPPED, STARTING, SNAPSHOT, STREAMING, BACKING_OFF or NEEDS_RESNAPSHOT")
    public String getCaptureState() {
        return status.view().state().name();
    }

    @ManagedAttribute(description = "The last failure of the engine, with what to do about it")
    public String getLastError() {
        return status.view().error();
    }

    @ManagedAttribute(description = "Engine restarts after a failure")
    public long getRestarts() {
        return status.view().restarts();
    }

    @ManagedAttribute(description = "Changes handed to the route")
    public long getChanges() {
        return status.view().changes();
    }

    @ManagedAttribute(description = "The replication slot")
    public String getSlot() {
        return settings.slot();
    }
}
