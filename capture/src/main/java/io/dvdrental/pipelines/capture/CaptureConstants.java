package io.dvdrental.pipelines.capture;

/** Exchange properties of the {@code dvd-cdc} component. */
public final class CaptureConstants {

    /**
     * Set by the route (an int): how many changes at the end of the body it did not store yet. They are handed over
     * again, first, with the next batch, and the engine's offset does not move past them.
     */
    public static final String PENDING = "dvdCdcPending";

    /** The capture's generation (a String): changes of a new snapshot must never be mistaken for an older one's. */
    public static final String GENERATION = "dvdCdcGeneration";

    private CaptureConstants() {
    }
}
