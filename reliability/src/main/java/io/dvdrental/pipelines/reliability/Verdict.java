package io.dvdrental.pipelines.reliability;

/** How a scenario ended. PARTIAL: what ran passed, but a part could not run (the row says why). */
public enum Verdict {
    PASS, FAIL, PARTIAL, NOT_RUN
}
