package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import org.springframework.stereotype.Component;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The clicks the demo producer route sends on each tick: as many as the configured rate makes due since the last
 * tick, from the producer module's {@link ClickGenerator}, over the films of the current reference data. None until
 * a reference export is loaded: clicks sent before would be stored as 'Unknown'. A new export restarts the generator
 * over its films.
 */
@Component
public class ClickProducerSource {

    private final StreamProperties.Producer settings;
    private final FilmReferenceCache reference;
    private final long seed;
    private ClickGenerator generator;
    private String generatorVersion;
    private long startedNanos;
    private long sent;

    public ClickProducerSource(StreamProperties properties, FilmReferenceCache reference) {
        this.settings = properties.producer();
        this.reference = reference;
        // A fixed seed repeats the same event ids after every restart; without one, each start is a new sequence.
        this.seed = settings.seed() != null ? settings.seed() : System.nanoTime();
    }

    /** Called by one timer thread only (the generator is not thread-safe). */
    public synchronized List<Click> due() {
        ReferenceSnapshot films = reference.current();
        if (films.size() == 0) {
            return List.of();
        }
        if (generator == null || !films.version().equals(generatorVersion)) {
            List<Integer> ids = films.films().keySet().stream().sorted().toList();
            generator = new ClickGenerator(new ClickSettings(seed + films.version().hashCode(), settings.users(), ids,
                    0), InstantSource.system());
            generatorVersion = films.version();
            startedNanos = System.nanoTime();
            sent = 0;
        }
        long due = (long) ((System.nanoTime() - startedNanos) / 1e9 * settings.rate()) - sent;
        List<Click> clicks = new ArrayList<>((int) Math.max(0, due));
        for (long i = 0; i < due; i++) {
            clicks.add(generator.next());
        }
        sent += clicks.size();
        return clicks;
    }
}
