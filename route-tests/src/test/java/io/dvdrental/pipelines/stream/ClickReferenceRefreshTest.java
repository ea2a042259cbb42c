package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
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
import java.util.concurrent.locks.LockSupport;

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
        String before = "Airport Pollock " + run;
        String after = "Airport Pollock (Director's Cut) " + run;
        Map<String, String> titles = Map.of("before", before, "after", after);
        StreamTestSupport.writeExport(s3, bucket, "v1-" + run, export(before));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals("v1-" + run));

        TestClicks first = send(300);
        String firstWindow = first.window("event_ts");
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + firstWindow, 300, Duration.ofSeconds(60));
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + firstWindow
                + " AND film_title = :before", titles)).isEqualTo(300);

        // Clicks keep flowing while the new export lands and is swapped in.
        TestClicks during = new TestClicks(List.of(FILM), 50, 0);
        AtomicBoolean flowing = new AtomicBoolean(true);
        AtomicInteger sentDuring = new AtomicInteger();
        CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
            while (flowing.get() || sentDuring.get() < 200) {
                support.send(stream.topic(), during.next());
                sentDuring.incrementAndGet();
                LockSupport.parkNanos(2_000_000);
            }
        });
        StreamTestSupport.writeExport(s3, bucket, "v2-" + run, export(after));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals("v2-" + run));
        flowing.set(false);
        traffic.get();
        support.flush();

        TestClicks last = send(300);
        String duringWindow = during.window("event_ts");
        String lastWindow = last.window("event_ts");
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + lastWindow, 300, Duration.ofSeconds(60));
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + duringWindow, sentDuring.get(),
                Duration.ofSeconds(60));
        // An insert's raw rows are visible before its views' rows; the offsets are committed after the whole insert.
        support.awaitCaughtUp(stream.groupId(), stream.topic(), stream.partitions());

        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + duringWindow))
                .isEqualTo(sentDuring.get());
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + duringWindow
                + " AND film_title NOT IN (:before, :after)", titles)).isZero();
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + lastWindow
                + " AND film_title = :after AND category = 'Classics' AND rating = 'PG-13' AND length = 117", titles))
                .isEqualTo(300);
        assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + last.window("minute")
                + " AND film_id = " + FILM + " AND film_title = :after AND category = 'Classics'", titles))
                .isEqualTo(300);
        assertThat(reference.status().version()).isEqualTo("v2-" + run);
        assertThat(reference.status().films()).isEqualTo(20);
        assertThat(reference.status().loadedAt()).isNotNull();
    }

    private TestClicks send(int count) {
        TestClicks clicks = new TestClicks(List.of(FILM), 50, 0);
        for (int i = 0; i < count; i++) {
            support.send(stream.topic(), clicks.next());
        }
        support.flush();
        return clicks;
    }
}
