package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import io.dvdrental.pipelines.transforms.reference.FilmReferenceExport;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The dim_film lookup the click stream enriches from: loaded from the batch pipeline's S3 export at start-up and
 * again whenever {@code reference/dim_film/latest.json} names a new version. A new version is read completely,
 * checked against the pointer's row count, written to {@code stream.film_reference} (where the insights name films
 * at query time), then swapped in with one atomic reference write: the stream never pauses, and each batch of clicks
 * is enriched from one version. A version the warehouse could not take is loaded again at the next check.
 */
@Component
public class FilmReferenceCache implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(FilmReferenceCache.class);

    /** What {@code /api/pipelines} shows about the reference data in use. */
    public record Status(String version, Instant exportedAt, Instant loadedAt, int films) {
    }

    private final S3Client s3;
    private final FilmReferenceTable table;
    private final String bucket;
    private final Clock clock;
    private final AtomicReference<ReferenceSnapshot> current = new AtomicReference<>(ReferenceSnapshot.EMPTY);
    private final Counter reloads;
    private volatile boolean missingReported;

    public FilmReferenceCache(S3Client s3Client, FilmReferenceTable table, ConnectionProperties connections,
                              MeterRegistry meters) {
        this.s3 = s3Client;
        this.table = table;
        this.bucket = connections.s3().bucket();
        this.clock = Clock.systemUTC();
        this.reloads = Counter.builder("dvd.stream.reference.reloads")
                .description("dim_film exports loaded into the click enrichment lookup").register(meters);
        Gauge.builder("dvd.stream.reference.films", current, ref -> ref.get().size())
                .description("films in the click enrichment lookup").register(meters);
    }

    public ReferenceSnapshot current() {
        return current.get();
    }

    public Status status() {
        ReferenceSnapshot snapshot = current.get();
        return new Status(snapshot.version(), snapshot.exportedAt(), snapshot.loadedAt(), snapshot.size());
    }

    /** Start-up load; S3 being away or empty is not fatal: clicks are enriched as 'Unknown' until an export lands. */
    @Override
    public void afterPropertiesSet() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("dim_film reference not loaded at start-up ({}); retrying on the refresh schedule", e.getMessage());
        }
    }

    /** Loads the export named by the pointer when it is a version not loaded yet. Returns whether it swapped. */
    public boolean refresh() {
        FilmReferenceExport.Pointer pointer = pointer();
        if (pointer == null || pointer.version().equals(current.get().version())) {
            return false;
        }
        Map<Integer, FilmReference> films;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(pointer.jsonl()))) {
            films = FilmReferenceExport.readJsonLines(in, pointer.rows());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReferenceSnapshot loaded = new ReferenceSnapshot(pointer.version(), pointer.exportedAt(), clock.instant(), films);
        table.write(loaded);
        ReferenceSnapshot previous = current.getAndSet(loaded);
        reloads.increment();
        LOG.info("dim_film reference {} loaded ({} films), replacing {}", loaded.version(), loaded.size(),
                previous.version());
        return true;
    }

    private FilmReferenceExport.Pointer pointer() {
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(FilmReferenceExport.POINTER_KEY)).asByteArray();
            missingReported = false;
            return FilmReferenceExport.Pointer.parse(bytes);
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            if (!missingReported) {
                LOG.warn("No dim_film export yet (s3://{}/{}); films are enriched as 'Unknown' until one lands",
                        bucket, FilmReferenceExport.POINTER_KEY);
                missingReported = true;
            }
            return null;
        }
    }
}
