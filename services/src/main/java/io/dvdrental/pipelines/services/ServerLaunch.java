package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The java command that starts the integration server's exec jar as a process ({@code ./dvd server start}, the
 * reliability harness). Most of a start is loading and linking classes, so the jar is extracted once (Spring Boot's
 * {@code -Djarmode=tools extract}) and started with an archive of what a start loads, written when a start of the same
 * jar exits normally ({@link #command}):
 * <ul>
 * <li>on a JDK 25 or later, its ahead-of-time cache ({@code -XX:AOTCacheOutput}, JEP 483/514/515): classes loaded
 * and linked, and method profiles; a start from it takes about a third less CPU than from a class archive on JDK 17;
 * <li>on older JDKs, a class data sharing archive ({@code -XX:ArchiveClassesAtExit}): classes mapped, not read.
 * </ul>
 * The server's code stays Java 17, so the JDK that runs it is the one {@value #JAVA_HOME} names, else the newest JDK
 * 25 or later installed beside the one running this class (Debian's {@code /usr/lib/jvm}), else the one running this
 * class. The jar and the archive live under
 * {@code .local/cds/<digest of the jar, the JVM options and the JDK>}; a rebuilt jar, other options or another JDK get
 * new ones. The JVM's options (heap, non-heap bounds) are the server's own, {@link #OPTIONS}.
 */
public final class ServerLaunch {

    /** The server's JVM options wherever it runs (a java argument file): here, the benchmarks and the image. */
    public static final String OPTIONS = "config/server-jvm.options";
    /** The environment variable naming the JDK that runs the server. */
    public static final String JAVA_HOME = "DVD_SERVER_JAVA_HOME";
    /** The first JDK with an ahead-of-time cache written by one training run (JEP 514). */
    static final int AOT_CACHE_FEATURE = 25;

    private final Path java;
    private final boolean aotCache;
    private final Path jar;
    private final Path options;
    private final Path home;

    private ServerLaunch(Path javaHome, JdkRelease release, Path jar, Path options, Path home) {
        this.java = javaHome.resolve("bin").resolve("java");
        this.aotCache = release.feature() >= AOT_CACHE_FEATURE;
        this.jar = jar;
        this.options = options;
        this.home = home;
    }

    /**
     * For {@code jar}, started by the JDK {@value #JAVA_HOME} names, else by the newest with an AOT cache beside this
     * JVM's, else by this JVM's, with the options {@code root/}{@link #OPTIONS}, its files under {@code root/.local/cds}.
     */
    public static ServerLaunch of(Path jar, Path root) {
        String named = System.getenv(JAVA_HOME);
        Path own = Path.of(System.getProperty("java.home"));
        return of(jar, root, named != null && !named.isBlank() ? Path.of(named) : newestWithAotCache(own.getParent())
                .orElse(own));
    }

    /** The newest JDK directly under {@code installed} whose {@code java} writes an AOT cache. */
    public static Optional<Path> newestWithAotCache(Path installed) {
        if (installed == null || !Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(installed)) {
            return homes.flatMap(home -> JdkRelease.find(home).stream().map(release -> Map.entry(home, release)))
                    .filter(found -> found.getValue().feature() >= AOT_CACHE_FEATURE)
                    .max(Comparator.comparingInt(found -> found.getValue().feature())).map(Map.Entry::getKey);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** For {@code jar}, started by the JDK at {@code javaHome} (an archive is only good for the JDK that wrote it). */
    public static ServerLaunch of(Path jar, Path root, Path javaHome) {
        Path options = root.resolve(OPTIONS);
        if (!Files.isRegularFile(options)) {
            throw new IllegalArgumentException("No JVM options for the server at " + options);
        }
        JdkRelease release = JdkRelease.of(javaHome);
        return new ServerLaunch(javaHome, release, jar, options, root.resolve(".local").resolve("cds")
                .resolve(digest(release.file(), jar, options)));
    }

    /** The archive of this jar (an AOT cache on JDK 25 and later); present once a start of it has ended normally. */
    public Path archive() {
        return home.resolve(aotCache ? "server.aot" : "server.jsa");
    }

    /** The archive is there, written whole (a JDK 25 creates the file empty, then assembles it). */
    public boolean archived() {
        try {
            return Files.isRegularFile(archive()) && Files.size(archive()) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The command up to the jar (application arguments follow it): the server's JVM options, then {@code overrides}
     * (a benchmark's heap, say: the last of an option wins). With the archive when there is one; else, when
     * {@code archiveAtExit}, this start writes it as its JVM exits normally (a SIGTERM, not a kill -9).
     */
    public List<String> command(boolean archiveAtExit, String... overrides) throws IOException {
        Path extracted = extracted();
        List<String> command = new ArrayList<>(List.of(java.toString(), "@" + options));
        if (aotCache) {
            // What the JDK 17 the code targets allowed without a word: the ClickHouse client's LZ4 loads its native
            // library and reads arrays through sun.misc.Unsafe.
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of(overrides));
        if (archived()) {
            command.add((aotCache ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive());
            if (aotCache) {
                // The cache's method profiles send a few of Spring's start-up methods to C2 early, and C2 took 90-96
                // MB for each (Compiler.memory): a batch run from the cache peaked at 520-529 MiB RSS. Above 40 MB a
                // compilation is dropped and the method stays compiled by C1; the peak was 453-477 MiB. Not in the
                // training start: its cache came out empty with the limit (compilations it dropped?), and without
                // profiles to replay it never compiled them that way.
                command.addAll(List.of("-XX:CompileCommand=quiet", "-XX:CompileCommand=MemLimit,*.*,40m"));
                // JDK 25 warns twice for each cached adapter whose fingerprint's hash collides with another's, at
                // every start (JDK-8364929; 25.0.3 still does): that adapter is made afresh, nothing is wrong. A cache
                // refused is an error, still logged.
                command.add("-Xlog:aot*=error");
            }
        } else if (archiveAtExit) {
            command.add((aotCache ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive());
            // The dump lists every class it cannot archive (generated, failed verification): not the server's news.
            command.addAll(aotCache ? List.of("-Xlog:aot=off", "-Xlog:cds=off")
                    : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        command.add("-jar");
        command.add(extracted.toString());
        return command;
    }

    /**
     * The jar extracted once (the launcher jar and its lib/ beside it). Of other builds, only the newest stays: a
     * server of the build before may still be running and loading classes from its files.
     */
    private Path extracted() throws IOException {
        Path app = home.resolve("app");
        Path launcher = app.resolve(jar.getFileName());
        if (Files.isRegularFile(launcher)) {
            return launcher;
        }
        removeOthers();
        Files.createDirectories(home);
        Path partial = Files.createTempDirectory(home, "extracting-");
        Process extract = new ProcessBuilder(java.toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
                "--destination", partial.resolve("app").toString()).redirectErrorStream(true).start();
        String output = new String(extract.getInputStream().readAllBytes());
        try {
            if (extract.waitFor() != 0) {
                throw new IOException("Extracting " + jar + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while extracting " + jar, e);
        }
        // Another launcher may have extracted it meanwhile: theirs is as good.
        try {
            Files.move(partial.resolve("app"), app, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isRegularFile(launcher)) {
                throw e;
            }
        }
        delete(partial);
        return launcher;
    }

    private void removeOthers() throws IOException {
        Path all = home.getParent();
        if (!Files.isDirectory(all)) {
            return;
        }
        try (Stream<Path> builds = Files.list(all)) {
            List<Path> older = builds.filter(p -> !p.equals(home))
                    .sorted(Comparator.comparing(ServerLaunch::modified).reversed()).toList();
            for (Path other : older.subList(Math.min(1, older.size()), older.size())) {
                delete(other);
            }
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void delete(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Of the files' contents: an archive is refused by a JVM started with other options than its own. */
    private static String digest(Path... files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha.update(buffer, 0, n);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + file, e);
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
