package io.dvdrental.pipelines.reliability;

/** One row of the report: what was done, what should happen, what was measured. */
public record ScenarioResult(String scenario, String done, String expected, String measured, Verdict verdict) {

    public static ScenarioResult notRun(String scenario, String done, String expected, String reason) {
        return new ScenarioResult(scenario, done, expected, "not run: " + reason, Verdict.NOT_RUN);
    }

    public boolean passed() {
        return verdict == Verdict.PASS || verdict == Verdict.PARTIAL;
    }
}
