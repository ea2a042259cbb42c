package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.ServerLaunch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code ./dvd server start} and the reliability harness start the server's exec jar: extracted once, with the
 * archive of its classes (an AOT cache on JDK 25 and later) once a start of this build wrote one. The JDKs here are
 * this JVM's {@code java} under a {@code release} file of the version under test. (Starting from the archive is
 * measured by the harness: a server start takes several seconds, more than this check may cost the suite.)
 */
class ServerLaunchTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path JAR = findJar();

    @Test
    void onJdk17TheFirstStartOfABuildWritesAClassArchiveAndTheNextOnesUseIt(@TempDir Path root) throws Exception {
        ServerLaunch launch = ServerLaunch.of(JAR, withTheServersOptions(root), jdk(root, "17.0.15"));

        List<String> first = launch.command(true, "-Xmx256m");
        Path extracted = Path.of(first.get(first.size() - 1));
        assertThat(extracted).isRegularFile().hasFileName(JAR.getFileName().toString());
        assertThat(extracted.resolveSibling("lib")).isDirectoryContaining("glob:**/camel-core-engine-*.jar");
        assertThat(first).containsSubsequence("@" + root.resolve(ServerLaunch.OPTIONS), "-Xmx256m")
                .contains("-XX:ArchiveClassesAtExit=" + launch.archive())
                .noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile"))
                .as("JDK 17 has no MemLimit: it prints its usage").noneMatch(arg -> arg.contains("MemLimit"));
        assertThat(launch.command(false)).noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit")
                || arg.startsWith("-XX:SharedArchiveFile"));

        Files.writeString(launch.archive(), "written by the JVM as the first start exits");
        assertThat(launch.command(true)).contains("-XX:SharedArchiveFile=" + launch.archive())
                .noneMatch(arg -> arg.startsWith("-XX:ArchiveClassesAtExit"))
                .endsWith(extracted.toString());

        assertThat(ServerLaunch.of(JAR, root, jdk(root, "17.0.16")).archive())
                .as("an archive is only good for the JDK that wrote it").isNotEqualTo(launch.archive());
        Files.writeString(root.resolve(ServerLaunch.OPTIONS), "-Xmx300m\n", StandardOpenOption.APPEND);
        assertThat(ServerLaunch.of(JAR, root, jdk(root, "17.0.15")).archive())
                .as("a JVM refuses an archive written with other options").isNotEqualTo(launch.archive());
    }

    @Test
    void onJdk25TheFirstStartOfABuildWritesAnAotCacheAndTheNextOnesUseIt(@TempDir Path root) throws Exception {
        Path jdk = jdk(root, "25.0.3");
        ServerLaunch launch = ServerLaunch.of(JAR, withTheServersOptions(root), jdk);

        List<String> first = launch.command(true, "-Xmx256m");
        assertThat(first.get(0)).isEqualTo(jdk.resolve("bin/java").toString());
        assertThat(first).containsSubsequence("@" + root.resolve(ServerLaunch.OPTIONS),
                        "--enable-native-access=ALL-UNNAMED", "-Xmx256m")
                .contains("-XX:AOTCacheOutput=" + launch.archive())
                .as("the training start's cache came out empty with it").noneMatch(arg -> arg.contains("MemLimit"))
                .noneMatch(arg -> arg.startsWith("-XX:AOTCache=") || arg.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(launch.command(false)).noneMatch(arg -> arg.startsWith("-XX:AOTCache"));

        Files.writeString(launch.archive(), "written by the JVM as the first start exits");
        assertThat(launch.command(true)).contains("-XX:AOTCache=" + launch.archive(), "-Xlog:aot*=error",
                        "-XX:CompileCommand=MemLimit,*.*,40m")
                .noneMatch(arg -> arg.startsWith("-XX:AOTCacheOutput") || arg.startsWith("-XX:SharedArchiveFile"));
    }

    /** Unless told which JDK, the server runs on the newest one installed beside this JVM that writes an AOT cache. */
    @Test
    void theServerRunsOnTheNewestJdkBesideThisOneThatHasAnAotCache(@TempDir Path root) throws Exception {
        Path installed = root.resolve("jvm");
        jdk(installed, "17.0.15");
        Files.createDirectories(installed.resolve("not-a-jdk"));
        assertThat(ServerLaunch.newestWithAotCache(installed)).isEmpty();

        Path jdk25 = jdk(installed, "25.0.3");
        Path jdk26 = jdk(installed, "26.0.1");
        assertThat(ServerLaunch.newestWithAotCache(installed)).contains(jdk26);
        Files.delete(jdk26.resolve("release"));
        assertThat(ServerLaunch.newestWithAotCache(installed)).contains(jdk25);
    }

    /** The server's options hold its heap, and a JVM out of memory exits (its batch run is recovered). */
    @Test
    void theServersOptionsBoundItsHeapAndEndItOutOfMemory() throws Exception {
        List<String> options = Files.readAllLines(ROOT.resolve(ServerLaunch.OPTIONS)).stream()
                .map(line -> line.replaceAll("#.*", "").strip()).filter(line -> !line.isEmpty()).toList();
        assertThat(options).contains("-XX:+ExitOnOutOfMemoryError").anyMatch(option -> option.startsWith("-Xmx"));
    }

    @Test
    void ofOtherBuildsOnlyTheNewestStays(@TempDir Path root) throws Exception {
        Path builds = root.resolve(".local/cds");
        Path older = Files.createDirectories(builds.resolve("older-build/app"));
        Path newer = Files.createDirectories(builds.resolve("newer-build/app"));
        Files.setLastModifiedTime(older.getParent(), FileTime.fromMillis(1_000));
        Files.setLastModifiedTime(newer.getParent(), FileTime.fromMillis(2_000));

        ServerLaunch.of(JAR, withTheServersOptions(root), jdk(root, "17.0.15")).command(true);

        assertThat(newer).as("a server of the build before may still run from it").isDirectory();
        assertThat(older.getParent()).doesNotExist();
    }

    /** A JDK of that version: this JVM's {@code java} (through a script) under a release file saying so. */
    private static Path jdk(Path under, String version) throws java.io.IOException {
        Path home = under.resolve("jdk-" + version);
        if (Files.isDirectory(home)) {
            return home;
        }
        Files.createDirectories(home.resolve("bin"));
        Path launcher = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexec '"
                + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private static Path withTheServersOptions(Path root) throws java.io.IOException {
        Path options = root.resolve(ServerLaunch.OPTIONS);
        Files.createDirectories(options.getParent());
        Files.copy(ROOT.resolve(ServerLaunch.OPTIONS), options);
        return root;
    }

    private static Path findJar() {
        try {
            return ServerProcess.findJar(ROOT);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
