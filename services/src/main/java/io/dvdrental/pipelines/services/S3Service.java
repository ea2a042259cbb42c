package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** S3Proxy: a real S3 API server with a filesystem backend, signing checked against this stack's own keys. */
final class S3Service implements LocalService {

    private final StackConfig config;
    private final LocalCredentials credentials;

    S3Service(StackConfig config, LocalCredentials credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public List<Port> ports() {
        return List.of(new Port(config.s3Port(), "S3 API", "s3.port"));
    }

    @Override
    public String address() {
        return config.s3Endpoint() + " (path-style; keys in " + config.home().resolve("credentials.properties") + ")";
    }

    @Override
    public List<String> prepare() throws IOException {
        Path blobs = Files.createDirectories(config.data(name()).resolve("blobs"));
        Properties props = new Properties();
        props.setProperty("s3proxy.endpoint", config.s3Endpoint());
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", credentials.s3Identity());
        props.setProperty("s3proxy.credential", credentials.s3Credential());
        props.setProperty("jclouds.provider", "filesystem");
        props.setProperty("jclouds.identity", credentials.s3Identity());
        props.setProperty("jclouds.credential", credentials.s3Credential());
        props.setProperty("jclouds.filesystem.basedir", blobs.toString());
        Path file = config.data(name()).resolve("s3proxy.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "written by the launcher on every start");
        }
        return ProcessSupport.javaCommand("192m", "org.gaul.s3proxy.Main", "--properties", file.toString());
    }

    @Override
    public boolean isReady() {
        try {
            HttpResponse<Void> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()
                    .send(HttpRequest.newBuilder(URI.create(config.s3Endpoint() + "/")).timeout(Duration.ofSeconds(2))
                            .GET().build(), HttpResponse.BodyHandlers.discarding());
            // Anonymous listing is refused by a live S3 API; any HTTP answer means it is serving.
            return response.statusCode() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
