package io.dvdrental.pipelines.cli;

import io.dvdrental.pipelines.cli.RunStatus.Step;

import java.time.Instant;
import java.util.List;

/** Runs and steps as the server would answer them, for the tests. */
final class Runs {

    static final Instant STARTED = Instant.parse("2026-11-30T21:55:00Z");

    private Runs() {
    }

    static Step step(String name, String state, long read, long written, Long ms, String error) {
        String kind = name.startsWith("extract:") ? "extract" : name.contains(".") ? "model" : name.split(":")[0];
        return new Step(name, kind, state, read, written, ms, error);
    }

    static RunStatus run(String state, String error, List<Step> steps, Instant finished) {
        return new RunStatus("20261130215500-ab12cd34", "FULL", "ALL", state, error, STARTED, finished, steps, 42);
    }
}
