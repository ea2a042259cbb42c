package io.dvdrental.pipelines.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An uninterrupted full batch run on the seeded source and the gold checksums it leaves: what an interrupted run
 * must end up equal to. Made once per source and scale in a harness run.
 */
public record BatchReference(String seeding, String runId, String state, Duration took, Map<String, String> gold,
                             List<String> failedSteps) {

    /** Tables of gold whose content is a record of runs, not a model of the source. */
    static final List<String> NOT_MODELS = List.of("batch_freshness");
    private static final Map<String, BatchReference> MADE = new HashMap<>();

    public boolean succeeded() {
        return "SUCCEEDED".equals(state);
    }

    public static synchronized BatchReference of(Target target, double scale, Duration timeout) throws Exception {
        String key = target.sourceUrl() + "@" + scale;
        BatchReference made = MADE.get(key);
        if (made == null) {
            String seeding = target.source().ensureSeeded(scale);
            BatchApi batch = target.batch();
            long start = System.nanoTime();
            BatchApi.Start run = batch.start("full");
            if (!run.accepted()) {
                throw new IllegalStateException("The reference run was refused: HTTP " + run.status() + " "
                        + run.body());
            }
            JsonNode end = batch.awaitFinished(run.runId(), timeout);
            made = new BatchReference(seeding, run.runId(), BatchApi.state(end),
                    Duration.ofNanos(System.nanoTime() - start), checksums(target),
                    BatchApi.failedSteps(end));
            MADE.put(key, made);
        }
        return made;
    }

    static Map<String, String> checksums(Target target) throws Exception {
        return new LayerChecksums(target.warehouse()).of("gold", NOT_MODELS);
    }
}
