package io.dvdrental.pipelines.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user and password for HTTP basic authentication. */
public record Credentials(String user, String password) {

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return user + ":***";
    }
}
