package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Credentials of a local stack, made at random on its first start and kept in its state folder (mode 0600):
 * nothing secret is in the repository, and a stack keeps its keys across restarts.
 */
public record LocalCredentials(String s3Identity, String s3Credential) {

    public static LocalCredentials loadOrCreate(Path home) throws IOException {
        Path file = home.resolve("credentials.properties");
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            }
            return new LocalCredentials(props.getProperty("s3.identity"), props.getProperty("s3.credential"));
        }
        Files.createDirectories(home);
        SecureRandom random = new SecureRandom();
        LocalCredentials created = new LocalCredentials("local-" + hex(random, 6), hex(random, 20));
        props.setProperty("s3.identity", created.s3Identity());
        props.setProperty("s3.credential", created.s3Credential());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "Local-only credentials of this stack, made on its first start");
        }
        return created;
    }

    private static String hex(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
