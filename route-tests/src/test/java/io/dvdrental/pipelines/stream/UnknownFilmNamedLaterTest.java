package io.dvdrental.pipelines.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clicks that arrive before the reference data knows their film are stored (as 'Unknown': the stream never waits),
 * and the insights name the film as soon as a reference that knows it is loaded: the dashboards do not keep
 * 'Unknown' for ever.
 */
@RealServicesTest
class UnknownFilmNamedLaterTest {

    private static final int CLICKS = 300;

    @Autowired
    CamelContext camel;
    @Autowired
    S3Client s3;
    @Autowired
    FilmReferenceCache reference;
    @Autowired
    StreamProperties stream;
    @Autowired
    TestRestTemplate http;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Value("${dvd.s3.bucket}")
    String bucket;
    @Value("${dvd.kafka.brokers}")
    String brokers;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** A film of this test only, so that its answers are not mixed with other tests' clicks. */
    private final int film = 100_000 + new SplittableRandom().nextInt(1_000_000);
    private StreamTestSupport support;

    @BeforeEach
    void start() throws Exception {
        support = new StreamTestSupport(brokers, warehouse);
        StreamTestSupport.startIngest(camel);
    }

    @AfterEach
    void close() {
        support.close();
    }

    @Test
    void clicksStoredBeforeTheReferenceKnewTheirFilmAreNamedOnceItDoes() throws Exception {
        StreamTestSupport.writeExport(s3, bucket, "without-" + run, StreamTestSupport.films(run, 20));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals("without-" + run));

        // Clicks of now (the insights look at the last minutes), all on the film the reference does not know.
        ClickGenerator clicks = new ClickGenerator(new ClickSettings(film, 50, List.of(film), 0), InstantSource.system());
        for (int i = 0; i < CLICKS; i++) {
            support.send(stream.topic(), clicks.next());
        }
        support.flush();
        String ofFilm = "SELECT count() FROM stream.dvd_clicks WHERE film_id = " + film;
        support.awaitCount(ofFilm, CLICKS, Duration.ofSeconds(60));
        assertThat(support.count(ofFilm + " AND film_title = 'Unknown' AND category = 'Unknown'")).isEqualTo(CLICKS);
        assertThat(trending().get("title").asText()).isEqualTo("Unknown");

        String title = "Zorro Ark " + run;
        String category = "Comedy " + run;
        List<FilmReference> knowing = new ArrayList<>(StreamTestSupport.films(run, 20));
        knowing.add(new FilmReference(film, title, category, "PG", 95));
        StreamTestSupport.writeExport(s3, bucket, "with-" + run, knowing);
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals("with-" + run));

        JsonNode named = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(this::trending, f -> title.equals(f.get("title").asText()));
        assertThat(named.get("category").asText()).isEqualTo(category);
        assertThat(named.get("clicks").asLong()).isEqualTo(CLICKS);
        JsonNode categories = get("/api/insights/stream/top-categories?minutes=60&limit=100");
        assertThat(categories.findValuesAsText("category")).contains(category);
        categories.forEach(c -> {
            if (category.equals(c.get("category").asText())) {
                assertThat(c.get("clicks").asLong()).isEqualTo(CLICKS);
            }
        });
        // The raw table keeps what was known when each click arrived.
        assertThat(support.count(ofFilm + " AND film_title = 'Unknown'")).isEqualTo(CLICKS);
    }

    /** This test's film in the trending answer over the last hour. */
    private JsonNode trending() throws Exception {
        for (JsonNode f : get("/api/insights/stream/trending-films?minutes=60&limit=100")) {
            if (f.get("filmId").asInt() == film) {
                return f;
            }
        }
        throw new AssertionError("film " + film + " is not among the trending films");
    }

    private JsonNode get(String path) throws Exception {
        ResponseEntity<String> response = http.getForEntity(path, String.class);
        assertThat(response.getStatusCode().value()).as(path + " -> " + response.getBody()).isEqualTo(200);
        return new ObjectMapper().readTree(response.getBody());
    }
}
