package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** One real service of the local stack, run in its own process. */
public interface LocalService {

    /** Short name used for its pid file, log file and messages. */
    String name();

    /** Every loopback port it listens on, each with what it is for. */
    List<Port> ports();

    /** What a user connects to, for the "where to look" report. */
    String address();

    /** Prepares its state folder (install, format, configure) and returns the command that runs it. */
    List<String> prepare() throws IOException, InterruptedException;

    /** True once it answers its own protocol, not merely once a port is open. */
    boolean isReady();

    /** Runs once after the first readiness of a fresh start or a reuse: idempotent setup such as databases. */
    default void afterReady() throws IOException {
    }

    default Duration startTimeout() {
        return Duration.ofSeconds(90);
    }

    /** A port, what it is for, and the setting that moves it ({@code dvd.<setting>} / {@code DVD_<SETTING>}). */
    record Port(int number, String purpose, String setting) {

        public String environmentVariable() {
            return "DVD_" + setting.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
        }
    }
}
