package io.dvdrental.pipelines.insights;

import java.time.Instant;
import java.util.Optional;

/** The reference data the stream enriches with: which version is cached and since when. Implemented by the stream side. */
public interface ReferenceDataStatusSource {

    Optional<ReferenceData> current();

    record ReferenceData(String version, Instant loadedAt) {
    }
}
