package io.dvdrental.pipelines.production;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away server certificate for 127.0.0.1 and localhost, made with the openssl CLI: PEM key and certificate
 * for PostgreSQL, the same pair in one file for Kafka's PEM key store, the certificate as the clients' trust anchor.
 */
record SelfSignedCertificate(Path key, Path certificate, Path keyAndCertificate) {

    static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path key = dir.resolve("server.key");
        Path cert = dir.resolve("server.crt");
        Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()))
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IOException("openssl could not make a test certificate: " + output);
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path both = dir.resolve("server-key-and-cert.pem");
        Files.writeString(both, Files.readString(key) + Files.readString(cert));
        Files.setPosixFilePermissions(both, PosixFilePermissions.fromString("rw-------"));
        return new SelfSignedCertificate(key, cert, both);
    }
}
