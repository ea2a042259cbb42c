package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * ClickHouse 26.x: the engine from the npm package {@code @chdb/lib-linux-x64-gnu} (libchdb.so), hosted by a
 * few lines of C in its own process and serving real HTTP and native TCP listeners (see ENVIRONMENT.md).
 */
final class ClickHouseService implements LocalService {

    static final String NPM_PACKAGE = "@chdb/lib-linux-x64-gnu";
    static final String DEFAULT_VERSION = "26.7.3-stable.1";

    /** Keeps the engine's main query running at ~1% CPU; sleep is capped per block, so blocks hold one row. */
    private static final String SERVE_FOREVER = "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; "
            + "SELECT sleepEachRow(0.5) FROM system.numbers SETTINGS max_block_size=1 FORMAT Null";

    private final StackConfig config;

    ClickHouseService(StackConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "clickhouse";
    }

    @Override
    public List<Port> ports() {
        return List.of(new Port(config.clickhouseHttpPort(), "ClickHouse HTTP", "clickhouse.http.port"),
                new Port(config.clickhouseTcpPort(), "ClickHouse native", "clickhouse.tcp.port"));
    }

    @Override
    public String address() {
        return config.clickhouseUrl() + " (HTTP " + httpBase() + ", native " + StackConfig.HOST + ":"
                + config.clickhouseTcpPort() + ", user default)";
    }

    @Override
    public List<String> prepare() throws IOException, InterruptedException {
        Path library = installEngine();
        Path host = buildHost();
        Path data = Files.createDirectories(config.data(name()));
        return List.of(host.toString(), library.toString(),
                "--path=" + data + "/",
                "--http_port=" + config.clickhouseHttpPort(),
                "--tcp_port=" + config.clickhouseTcpPort(),
                "--listen_host=" + StackConfig.HOST,
                "--query=" + SERVE_FOREVER);
    }

    @Override
    public boolean isReady() {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()
                    .send(HttpRequest.newBuilder(URI.create(httpBase() + "/?query=SELECT%201"))
                            .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().trim().equals("1");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String httpBase() {
        return "http://" + StackConfig.HOST + ":" + config.clickhouseHttpPort();
    }

    /** Downloads the engine once per machine into the shared cache, from the npm registry. */
    private Path installEngine() throws IOException, InterruptedException {
        String version = StackConfig.setting("chdb.version", DEFAULT_VERSION);
        Path dir = config.cache().resolve("chdb-" + version);
        Path library = dir.resolve("package").resolve("libchdb.so");
        if (Files.exists(library)) {
            return library;
        }
        Files.createDirectories(dir);
        System.out.println("Downloading the ClickHouse engine " + NPM_PACKAGE + "@" + version
                + " from the npm registry (~180 MB, once per machine)...");
        run(dir, "npm", "pack", "--silent", NPM_PACKAGE + "@" + version);
        try (var files = Files.list(dir)) {
            Path tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack left no tarball in " + dir));
            run(dir, "tar", "xzf", tarball.getFileName().toString());
            Files.delete(tarball);
        }
        if (!Files.exists(library)) {
            throw new IOException(NPM_PACKAGE + "@" + version + " has no package/libchdb.so");
        }
        return library;
    }

    /** Compiles the C host next to the engine, once per machine. */
    private Path buildHost() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(config.cache().resolve("chhost"));
        Path source = dir.resolve("chhost.c");
        Path binary = dir.resolve("chhost");
        try (InputStream in = getClass().getResourceAsStream("/dvd-services/chhost.c")) {
            byte[] wanted = in.readAllBytes();
            if (Files.exists(binary) && Files.exists(source) && java.util.Arrays.equals(wanted, Files.readAllBytes(source))) {
                return binary;
            }
            Files.write(source, wanted);
        }
        run(dir, "gcc", "-O2", "-o", binary.toString(), source.toString(), "-ldl");
        return binary;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("dvd-services-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            int rc = process.waitFor();
            if (rc != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + rc + ":\n"
                        + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
