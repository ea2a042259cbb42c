package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.clicks.FilmReference;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A new dim_film export with a changed title is picked up by the running server: clicks after the swap carry the
 * new title, and clicks flowing during the swap are all ingested.
 */
@RealServicesTest
class ClickReferenceRefreshTest {

    private static final int FILM = 7;

    @Autowired
    CamelContext camel;
    @Autowired
    S3Client s3;
    @Autowired
    FilmReferenceCache reference;
    @Autowired
    StreamProperties stream;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Value("${dvd.s3.bucket}")
    String bucket;
    @Value("${dvd.kafka.brokers}")
    String brokers;

    private StreamTestSupport support;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() throws Exception {
        support = new StreamTestSupport(brokers, warehouse);
        StreamTestSupport.startIngest(camel);
    }

    @AfterEach
    void close() {
        support.close();
    }

    private static List<FilmReference> export(String title) {
        List<FilmReference> films = new ArrayList<>(StreamTestSupport.films("x", 20));
        films.set(FILM - 1, new FilmReference(FILM, title, "Classics", "PG-13", 117));
        return films;
    }

    @Test
    void aNewExportIsUsedForNewClicksWithoutARestartAndNothingInFlightIsLost() throws Exception {
        TestClicks clicks = new TestClicks();
        String before = "Airport Pollock " + run;
        String after = "Airport Pollock (Director's Cut) " + run;
        StreamTestSupport.writeExport(s3, bucket, "v1-" + run, export(before));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals("v1-" + run));
        String window = clicks.window("event_ts") + " AND film_id = " + FILM;

        int first = 300;
        for (int i = 0; i < first; i++) {
            support.send(stream.topic(), i, clicks.bytes(clicks.click(FILM, i, "before-" + run)));
        }
        support.flush();
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + window, first, Duration.ofSeconds(60));
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window + " AND film_title = :title",
                Map.of("title", before))).isEqualTo(first);

        // Clicks keep flowing while the new export lands and is swapped in.
        AtomicBoolean flowing = new AtomicBoolean(true);
        AtomicInteger during = new AtomicInteger();
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            while (flowing.get() || during.get() < 200) {
                int i = during.getAndIncrement();
                support.send(stream.topic(), i, clicks.bytes(clicks.click(FILM, i, "during-" + run)));
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        StreamTestSupport.writeExport(s3, bucket, "v2-" + run, export(after));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals("v2-" + run));
        flowing.set(false);
        traffic.get();
        support.flush();

        int last = 300;
        for (int i = 0; i < last; i++) {
            support.send(stream.topic(), i, clicks.bytes(clicks.click(FILM, i, "after-" + run)));
        }
        support.flush();

        int total = first + during.get() + last;
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + window, total, Duration.ofSeconds(60));
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window)).isEqualTo(total);
        Map<String, String> titles = Map.of("before", before, "after", after, "session", "after-" + run);
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window
                + " AND session_id = :session AND film_title = :after", titles)).isEqualTo(last);
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window
                + " AND film_title NOT IN (:before, :after)", titles)).isZero();
        assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + clicks.window("minute")
                + " AND film_id = " + FILM + " AND film_title = :after AND category = 'Classics'", titles))
                .isGreaterThanOrEqualTo(last);
        assertThat(reference.status().films()).isEqualTo(20);
        assertThat(reference.status().loadedAt()).isNotNull();
    }
}
