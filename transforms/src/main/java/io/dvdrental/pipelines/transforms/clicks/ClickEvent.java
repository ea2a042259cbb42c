package io.dvdrental.pipelines.transforms.clicks;

import java.time.Instant;

/** A click that satisfies the {@code dvd_clicks} contract. {@code eventTsText} is the producer's UTC text, kept as sent. */
public record ClickEvent(String eventId, Instant eventTs, String eventTsText, String userId, String sessionId,
                         int filmId, String eventType, String page, int position, String device, String referrer) {
}
