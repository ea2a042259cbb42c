package io.dvdrental.pipelines.insights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code config/superset/package.sh}, run as an analyst runs it: the ZIP holds the bundle under {@code dvd_dashboards/}
 * with the connection from the environment, wherever it is written, without a JDK; a password given for the command
 * line import goes into the package only, and an empty one leaves no mask to ask for.
 */
class SupersetPackageTest {

    private static final Path SUPERSET = Path.of("..", "config", "superset").toAbsolutePath().normalize();
    private static final String DATABASE = "dvd_dashboards/databases/ClickHouse.yaml";

    @TempDir
    Path dir;

    /** What the script printed, its exit code, and the package's YAML files by path. */
    record Packed(int exitCode, String output, Map<String, String> files, Path zip) {

        @SuppressWarnings("unchecked")
        Map<String, Object> database() {
            return new Yaml().load(files.get(DATABASE));
        }
    }

    private Packed pack(Path out, Map<String, String> env) throws IOException, InterruptedException {
        // A jar that fails: the script must not need a JDK.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path jar = Files.writeString(bin.resolve("jar"), "#!/bin/sh\necho 'jar is not for analysts' >&2; exit 97\n");
        jar.toFile().setExecutable(true);
        ProcessBuilder script = new ProcessBuilder("bash", SUPERSET.resolve("package.sh").toString(), out.toString())
                .redirectErrorStream(true);
        script.environment().remove("SUPERSET_CLICKHOUSE_PASSWORD");
        script.environment().remove("SUPERSET_CLICKHOUSE_URI");
        script.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        script.environment().putAll(env);
        Process process = script.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        Map<String, String> files = new TreeMap<>();
        if (Files.exists(out)) {
            try (ZipFile zip = new ZipFile(out.toFile())) {
                for (ZipEntry entry : zip.stream().filter(e -> !e.isDirectory()).toList()) {
                    files.put(entry.getName(), new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return new Packed(exit, output, files, out);
    }

    private static List<String> bundleFiles() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SUPERSET.resolve("dvd_dashboards"))) {
            files.filter(Files::isRegularFile).forEach(f -> names.add("dvd_dashboards/"
                    + SUPERSET.resolve("dvd_dashboards").relativize(f).toString().replace('\\', '/')));
        }
        return names;
    }

    @Test
    void packsTheBundleIntoAFolderThatDoesNotExistYetWithoutAJdk() throws Exception {
        Path out = dir.resolve("not/there/yet/dvd_dashboards.zip");
        Packed packed = pack(out, Map.of("SUPERSET_CLICKHOUSE_URI",
                "clickhousedb://analyst:XXXXXXXXXX@clickhouse.example:8123/default"));

        assertThat(packed.exitCode()).as(packed.output()).isZero();
        assertThat(packed.files().keySet()).containsExactlyInAnyOrderElementsOf(bundleFiles());
        assertThat(packed.database()).containsEntry("sqlalchemy_uri",
                "clickhousedb://analyst:XXXXXXXXXX@clickhouse.example:8123/default").doesNotContainKey("password");
        assertThat(packed.files().get("dvd_dashboards/metadata.yaml"))
                .isEqualTo(Files.readString(SUPERSET.resolve("dvd_dashboards/metadata.yaml")));
    }

    @Test
    void aPasswordForTheCommandLineImportGoesIntoThePackageOnly() throws Exception {
        String before = Files.readString(SUPERSET.resolve(DATABASE));
        Packed packed = pack(dir.resolve("secret.zip"), Map.of(
                "SUPERSET_CLICKHOUSE_URI", "clickhousedb://analyst:XXXXXXXXXX@clickhouse.example:8123/default",
                "SUPERSET_CLICKHOUSE_PASSWORD", "p'a\"ss: #1"));

        assertThat(packed.exitCode()).as(packed.output()).isZero();
        // The URI stays masked; Superset's importer takes the password key (ImportV1DatabaseSchema.password).
        assertThat(packed.database()).containsEntry("sqlalchemy_uri",
                "clickhousedb://analyst:XXXXXXXXXX@clickhouse.example:8123/default").containsEntry("password", "p'a\"ss: #1");
        assertThat(Files.getPosixFilePermissions(packed.zip()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(packed.output()).contains("holds the ClickHouse password");
        assertThat(Files.readString(SUPERSET.resolve(DATABASE))).isEqualTo(before);
    }

    @Test
    void anEmptyPasswordLeavesNoMaskToAskFor() throws Exception {
        Packed packed = pack(dir.resolve("open.zip"), Map.of(
                "SUPERSET_CLICKHOUSE_URI", "clickhousedb://default:XXXXXXXXXX@clickhouse:8123/default",
                "SUPERSET_CLICKHOUSE_PASSWORD", ""));

        assertThat(packed.exitCode()).as(packed.output()).isZero();
        assertThat(packed.database()).containsEntry("sqlalchemy_uri", "clickhousedb://default@clickhouse:8123/default")
                .doesNotContainKey("password");
        assertThat(Files.getPosixFilePermissions(packed.zip())).contains(PosixFilePermission.OTHERS_READ);
    }

    @Test
    void withoutAnyEnvironmentTheBundleGoesAsItIs() throws Exception {
        Packed packed = pack(dir.resolve("as-is.zip"), Map.of());

        assertThat(packed.exitCode()).as(packed.output()).isZero();
        assertThat(packed.files().get(DATABASE)).isEqualTo(Files.readString(SUPERSET.resolve(DATABASE)));
        assertThat(Set.copyOf(packed.files().keySet())).hasSize(bundleFiles().size());
    }
}
