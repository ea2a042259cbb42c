package io.dvdrental.pipelines.producer.hostile;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostileCorpusTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");

    @Test
    void tenThousandEventsCoverEveryCategory() {
        List<HostileEvent> corpus = HostileCorpus.generate(7, 10_000, NOW);
        Map<HostileCategory, Integer> counts = new EnumMap<>(HostileCategory.class);
        corpus.forEach(e -> counts.merge(e.category(), 1, Integer::sum));
        assertThat(counts).containsOnlyKeys(HostileCategory.values());
        assertThat(counts.get(HostileCategory.HUGE)).isEqualTo(10_000 / HostileCorpus.HUGE_EVERY);
        assertThat(corpus.stream().mapToLong(e -> e.value() == null ? 0 : e.value().length).sum())
                .as("bytes of the whole corpus").isLessThan(20_000_000L);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        List<HostileEvent> a = HostileCorpus.generate(11, 1_000, NOW);
        List<HostileEvent> b = HostileCorpus.generate(11, 1_000, NOW);
        List<HostileEvent> c = HostileCorpus.generate(12, 1_000, NOW);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).key()).isEqualTo(b.get(i).key());
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
            assertThat(a.get(i).variant()).isEqualTo(b.get(i).variant());
        }
        assertThat(a.get(5).key()).isNotEqualTo(c.get(5).key());
    }

    @Test
    void keysAndEventIdsAreUniqueAndMarked() {
        List<HostileEvent> corpus = HostileCorpus.generate(3, 10_000, NOW);
        Set<String> keys = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (HostileEvent e : corpus) {
            assertThat(keys.add(e.key())).as("unique key %s", e.key()).isTrue();
            assertThat(ids.add(e.eventId())).as("unique id %s", e.eventId()).isTrue();
            assertThat(e.eventId()).startsWith(HostileCorpus.EVENT_ID_PREFIX + "-").hasSize(36);
        }
    }

    @Test
    void nonUtf8EventsAreNotDecodable() {
        HostileCorpus.generate(5, 1_000, NOW).stream()
                .filter(e -> e.category() == HostileCategory.NON_UTF8)
                .forEach(e -> assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(e.value())))
                        .as(e.variant()).isInstanceOf(CharacterCodingException.class));
    }

    @Test
    void hugeEventsAreLargeButFitAKafkaRecord() {
        HostileCorpus.generate(9, 2_000, NOW).stream()
                .filter(e -> e.category() == HostileCategory.HUGE)
                .forEach(e -> assertThat(e.value().length).isBetween(100_000, 900_000));
    }
}
