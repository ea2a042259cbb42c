package io.dvdrental.pipelines.reliability;

/** One way of breaking things on purpose, with the figures that show nothing was lost or doubled. */
public interface Scenario {

    String name();

    /** Runs the scenario; {@code quick} makes it small enough for CI (well under a minute). */
    ScenarioResult run(Target target, boolean quick) throws Exception;
}
