package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.security.ServerSecurityAutoConfiguration;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/pipelines}: how both pipelines are doing, for operators and the dashboards' status line.
 * A part that cannot be read says so in an {@code error} field instead of failing the whole answer.
 */
@RestController
public class PipelinesController {

    private static final Logger LOG = LoggerFactory.getLogger(PipelinesController.class);

    private final InsightsProperties props;
    private final KafkaPipelineStatus kafka;
    private final ObjectProvider<BatchRunStatusSource> batchRuns;
    private final ObjectProvider<ReferenceDataStatusSource> referenceData;
    private final ObjectProvider<CaptureStatusSource> capture;
    private final InsightsCache cache;
    private final Clock clock = Clock.systemUTC();

    public PipelinesController(InsightsProperties props, KafkaPipelineStatus kafka,
                               ObjectProvider<BatchRunStatusSource> batchRuns,
                               ObjectProvider<ReferenceDataStatusSource> referenceData,
                               ObjectProvider<CaptureStatusSource> capture, InsightsCache cache) {
        this.props = props;
        this.kafka = kafka;
        this.batchRuns = batchRuns;
        this.referenceData = referenceData;
        this.capture = capture;
        this.cache = cache;
    }

    /** What the broker knows, read with several admin calls: kept as one answer ({@link InsightsCache}). */
    private record Offsets(List<KafkaPipelineStatus.PartitionLag> lag, long dlqCount) {
    }

    /** Step errors can name hosts and carry stack traces: only the operator reads them, anyone else the states. */
    @GetMapping("/api/pipelines")
    public Map<String, Object> pipelines(HttpServletRequest request) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch", batch(request.isUserInRole(ServerSecurityAutoConfiguration.OPERATOR)));
        answer.put("stream", stream());
        CaptureStatusSource source = capture.getIfAvailable();
        if (source != null) {
            answer.put("capture", source.captureStatus());
        }
        return answer;
    }

    private Map<String, Object> batch(boolean withErrors) {
        Map<String, Object> batch = new LinkedHashMap<>();
        BatchRunStatusSource source = batchRuns.getIfAvailable();
        if (source == null) {
            batch.put("lastRun", null);
            batch.put("error", "no batch run history in this server");
            return batch;
        }
        try {
            Optional<BatchRunStatusSource.Run> lastRun = cache.get("pipelines/batch-last-run", source::lastRun);
            batch.put("lastRun", lastRun.map(run -> withErrors ? run : run.withoutErrors()).orElse(null));
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the last batch run: {}", e.getMessage());
            batch.put("lastRun", null);
            batch.put("error", "cannot read the batch run history");
        }
        return batch;
    }

    private Map<String, Object> stream() {
        Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("topic", props.clickTopic());
        stream.put("consumerGroup", props.clickConsumerGroup());
        stream.put("dlqTopic", props.dlqTopic());
        try {
            Offsets offsets = cache.get("pipelines/stream-offsets", this::offsets);
            stream.put("consumerLag", offsets.lag());
            stream.put("totalLag", offsets.lag().stream().mapToLong(KafkaPipelineStatus.PartitionLag::lag).sum());
            stream.put("dlqCount", offsets.dlqCount());
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the stream's offsets from Kafka: {}", e.getCause() == null ? e : e.getCause());
            stream.put("error", "cannot read offsets from Kafka");
        }
        ReferenceDataStatusSource source = referenceData.getIfAvailable();
        var current = source == null ? null : source.current().orElse(null);
        if (current == null) {
            stream.put("referenceData", null);
        } else {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("version", current.version());
            ref.put("loadedAt", current.loadedAt());
            ref.put("ageSeconds", Duration.between(current.loadedAt(), clock.instant()).toSeconds());
            stream.put("referenceData", ref);
        }
        return stream;
    }

    private Offsets offsets() {
        try {
            return new Offsets(kafka.consumerLag(props.clickTopic(), props.clickConsumerGroup()),
                    kafka.messageCount(props.dlqTopic()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
