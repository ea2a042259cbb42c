package io.dvdrental.pipelines.services;

/** A port a service needs is held by some process that is not this stack's own service. */
public final class PortTakenException extends IllegalStateException {

    public PortTakenException(String service, LocalService.Port port) {
        super("Port " + port.number() + " (" + port.purpose() + ", needed by " + service + ") is already taken by "
                + "another process. Stop that process, or move this stack's ports with DVD_PORT_BASE or this one with "
                + port.environmentVariable() + ".");
    }
}
