package io.dvdrental.pipelines.transforms.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract of a well-formed click, shared by the generator and the Kafka round-trip tests. */
final class ClickAssertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClickAssertions() {
    }

    static JsonNode assertWellFormed(String key, String value) throws IOException {
        JsonNode event = JSON.readTree(value);
        assertThat(key).matches("\"u_\\d+\"");
        assertThat(event.get("user_id").asText()).isEqualTo(key.substring(1, key.length() - 1));
        assertThat(UUID.fromString(event.get("event_id").asText())).isNotNull();
        assertThat(event.get("event_ts").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}");
        assertThat(LocalDateTime.parse(event.get("event_ts").asText(), ClickGenerator.EVENT_TS))
                .isBefore(LocalDateTime.now().plusYears(1));
        assertThat(event.get("session_id").asText()).isNotBlank();
        assertThat(event.get("film_id").isInt()).isTrue();
        String type = event.get("event_type").asText();
        assertThat(type).isIn("view", "detail_view", "watch_trailer", "add_to_watchlist");
        assertThat(event.get("page").asText()).isEqualTo(type.equals("view") ? "browse" : "film_detail");
        assertThat(event.get("position").asInt()).isBetween(1, 20);
        assertThat(event.get("device").asText()).isIn(List.of("web", "mobile", "tablet"));
        assertThat(event.get("referrer").asText()).isIn(List.of("homepage", "search", "recommendation"));
        return event;
    }
}
