package io.dvdrental.pipelines.transforms.generate;

import java.nio.charset.StandardCharsets;

/**
 * One click event as it goes to Kafka: the key is the user id as a JSON string ({@code "u_10"} with the quotes),
 * the value JSON bytes. {@code malformation} names the defect when the event was deliberately broken, else null.
 */
public record Click(String key, byte[] value, Malformation malformation) {

    public boolean malformed() {
        return malformation != null;
    }

    public String valueText() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
