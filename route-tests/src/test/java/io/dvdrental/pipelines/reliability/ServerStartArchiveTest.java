package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.ServerLaunch;
import io.dvdrental.pipelines.services.StackConfig;
import io.dvdrental.pipelines.support.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server's exec jar, started as {@code ./dvd server start} and the harness start it, on the newest JDK beside
 * this one, against the real services: its first start writes the archive that makes a restart take half as long,
 * and the next start runs from it. A start whose archive silently failed to assemble (a JVM option the training run
 * could not take) still answers readiness, only slower: this is where it shows.
 */
class ServerStartArchiveTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theFirstStartOfABuildWritesItsArchiveAndTheNextStartRunsFromIt(@TempDir Path root) throws Exception {
        Optional<Path> jdk = ServerLaunch.newestWithAotCache(Path.of(System.getProperty("java.home")).getParent());
        assumeTrue(jdk.isPresent(), "no JDK 25 or later beside this one: the JDK 17 archive is ServerLaunchTest's");
        Path options = root.resolve(ServerLaunch.OPTIONS);
        Files.createDirectories(options.getParent());
        Files.copy(ROOT.resolve(ServerLaunch.OPTIONS), options);
        ServerLaunch launch = ServerLaunch.of(ServerProcess.findJar(ROOT), root, jdk.get());

        Map<String, String> env = new HashMap<>();
        TestServices.properties().forEach((key, value) -> env.put(StackConfig.environmentName(key), value));
        int port = ServerProcess.freePort();
        env.put("SERVER_PORT", String.valueOf(port));
        // Nothing of the other tests' work: no clicks read or made, no scheduled run.
        env.put("DVD_STREAM_INGESTENABLED", "false");
        env.put("DVD_STREAM_PRODUCER_ENABLED", "false");
        env.put("DVD_BATCH_SCHEDULE_ENABLED", "false");
        try (ServerProcess server = new ServerProcess(launch, env, root.resolve("server.log"),
                new ServerApi(URI.create("http://127.0.0.1:" + port)))) {
            server.archiveClasses(Duration.ofSeconds(300));
            assertThat(launch.archived()).as("the archive after the first start's stop").isTrue();

            server.start(Duration.ofSeconds(120));
            long pid = server.pid();
            assertThat(Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")))
                    .contains("-XX:AOTCache=" + launch.archive());
            assertThat(Files.readString(server.log())).doesNotContain("[error][aot]");
        }
    }
}
