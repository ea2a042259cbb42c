package io.dvdrental.pipelines.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Which PostgreSQL TLS modes check who answers. {@code verify-full} checks the server's certificate against the CA
 * bundle and its host name, {@code verify-ca} the certificate only; {@code require}, {@code prefer}, {@code allow}
 * and {@code disable} accept any server, so anyone on the path can answer in the database's place.
 */
public final class PostgresTls {

    static final Set<String> VERIFIED = Set.of("verify-full", "verify-ca");

    private PostgresTls() {
    }

    /** Refuses a JDBC URL whose {@code sslmode} is not one that checks the server's certificate. */
    static void requireVerified(String setting, String jdbcUrl) {
        if (jdbcUrl == null) {
            return;
        }
        String mode = sslmode(jdbcUrl);
        if (!VERIFIED.contains(mode)) {
            throw new IllegalArgumentException(setting + " connects with sslmode=" + mode + ", which does not check"
                    + " the PostgreSQL server's certificate: the prod profile allows only sslmode=verify-full or"
                    + " verify-ca (set DVD_POSTGRES_SSLMODE, and DVD_POSTGRES_SSLROOTCERT to the CA bundle)");
        }
    }

    /** The URL's {@code sslmode}; without one the driver uses {@code prefer}. */
    static String sslmode(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return "prefer";
        }
        return Arrays.stream(jdbcUrl.substring(query + 1).split("&"))
                .filter(p -> p.toLowerCase(Locale.ROOT).startsWith("sslmode="))
                .map(p -> p.substring("sslmode=".length()).toLowerCase(Locale.ROOT))
                .reduce((first, last) -> last).orElse("prefer");
    }
}
