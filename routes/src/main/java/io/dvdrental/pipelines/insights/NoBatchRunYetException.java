package io.dvdrental.pipelines.insights;

/** Gold has no report to answer from: no batch run has built it yet. Not the warehouse's fault, and the cure is a run. */
public class NoBatchRunYetException extends RuntimeException {

    /** What starts the first run on a local stack; elsewhere the API behind it. */
    public static final String START_COMMAND = "./dvd batch run full";

    public NoBatchRunYetException() {
        super("no batch run has built the warehouse's report yet: start one with " + START_COMMAND
                + " (or POST /api/batch/runs {\"mode\":\"full\"} as the operator)");
    }
}
