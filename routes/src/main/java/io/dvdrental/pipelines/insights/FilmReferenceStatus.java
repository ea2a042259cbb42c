package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.stream.FilmReferenceCache;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** The dim_film version the click stream enriches from, and when it was loaded, from the stream's reference cache. */
@Component
public class FilmReferenceStatus implements ReferenceDataStatusSource {

    private final FilmReferenceCache cache;

    public FilmReferenceStatus(FilmReferenceCache cache) {
        this.cache = cache;
    }

    /** Empty until an export has been loaded: the stream then enriches films as 'Unknown'. */
    @Override
    public Optional<ReferenceData> current() {
        FilmReferenceCache.Status status = cache.status();
        return status.loadedAt() == null ? Optional.empty()
                : Optional.of(new ReferenceData(status.version(), status.loadedAt()));
    }
}
