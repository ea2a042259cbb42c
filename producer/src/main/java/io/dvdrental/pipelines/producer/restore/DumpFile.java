package io.dvdrental.pipelines.producer.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A PostgreSQL dump as found on disk: plain SQL ({@code .sql}, or gzip-compressed), or a {@code pg_dump} archive
 * (tar, custom or directory format, read by {@code pg_restore}); which tables of the public schema it creates, and
 * which of those it fills. The format is read from the file's first bytes, not from its name.
 */
public record DumpFile(Path path, Format format, Set<String> tables, Set<String> tablesWithRows) {

    public enum Format {
        PLAIN_SQL("plain SQL"), GZIPPED_SQL("plain SQL, gzip"), ARCHIVE("pg_dump archive, read by pg_restore");

        private final String description;

        Format(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** {@code CREATE TABLE public.actor (} or, in dumps without schema names, {@code CREATE TABLE actor (}. */
    private static final Pattern CREATE = Pattern.compile("^CREATE (?:UNLOGGED )?TABLE (?:public\\.)?\"?(\\w+)\"? \\(");
    private static final Pattern FILL = Pattern.compile("^(?:COPY|INSERT INTO) (?:public\\.)?\"?(\\w+)\"? ");
    /** A {@code pg_restore -l} line: {@code 215; 1259 16420 TABLE public actor postgres}. */
    private static final Pattern TOC = Pattern.compile("^\\d+; \\d+ \\d+ (TABLE|TABLE DATA) public (\\S+) ");

    /** Reads what the dump holds; refuses what is not a dump, with what to do. */
    public static DumpFile inspect(Path path) throws IOException, InterruptedException {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("No dump at " + path);
        }
        if (Files.isDirectory(path)) {
            if (!Files.exists(path.resolve("toc.dat"))) {
                throw new IllegalArgumentException(path + " is a folder but not a pg_dump directory archive (no toc.dat)");
            }
            return archive(path);
        }
        byte[] head = head(path, 512);
        if (startsWith(head, 'P', 'K', 3, 4)) {
            throw new IllegalArgumentException(path + " is a ZIP file: unzip it first (the published dvdrental.zip "
                    + "holds dvdrental.tar) and give the file inside");
        }
        if (startsWith(head, 0x1f, 0x8b)) {
            byte[] inner;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
                inner = in.readNBytes(512);
            }
            if (isTar(inner)) {
                throw new IllegalArgumentException(path + " is a gzip-compressed tar: gunzip it first "
                        + "(pg_restore reads the tar itself)");
            }
            return plain(path, Format.GZIPPED_SQL);
        }
        if (startsWith(head, 'P', 'G', 'D', 'M', 'P') || isTar(head)) {
            return archive(path);
        }
        if (!isText(head)) {
            throw new IllegalArgumentException(path + " is neither plain SQL, gzip-compressed SQL nor a pg_dump "
                    + "archive (tar, custom or directory format)");
        }
        return plain(path, Format.PLAIN_SQL);
    }

    /** The tables of {@code required} the dump does not create, or creates without rows (a schema-only dump). */
    public List<String> missing(List<String> required) {
        return required.stream().filter(t -> !tables.contains(t)).toList();
    }

    public List<String> empty(List<String> required) {
        return required.stream().filter(t -> tables.contains(t) && !tablesWithRows.contains(t)).toList();
    }

    public InputStream openSql() throws IOException {
        InputStream in = Files.newInputStream(path);
        return format == Format.GZIPPED_SQL ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static DumpFile plain(Path path, Format format) throws IOException {
        Set<String> tables = new TreeSet<>();
        Set<String> filled = new TreeSet<>();
        DumpFile dump = new DumpFile(path, format, tables, filled);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(dump.openSql(), StandardCharsets.UTF_8),
                1 << 16)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("CREATE ")) {
                    collect(CREATE, line, tables);
                } else if (line.startsWith("COPY ") || line.startsWith("INSERT INTO ")) {
                    collect(FILL, line, filled);
                }
            }
        }
        return new DumpFile(path, format, Set.copyOf(tables), Set.copyOf(filled));
    }

    private static DumpFile archive(Path path) throws IOException, InterruptedException {
        Process list = new ProcessBuilder(PostgresClient.program("pg_restore").toString(), "--list", path.toString())
                .redirectErrorStream(true).start();
        String toc = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (list.waitFor() != 0) {
            throw new IllegalArgumentException("pg_restore cannot read " + path + ": " + toc.strip());
        }
        Set<String> tables = new TreeSet<>();
        Set<String> filled = new TreeSet<>();
        for (String line : toc.split("\n")) {
            Matcher m = TOC.matcher(line);
            if (m.find()) {
                (m.group(1).equals("TABLE") ? tables : filled).add(m.group(2));
            }
        }
        return new DumpFile(path, Format.ARCHIVE, Set.copyOf(tables), Set.copyOf(filled));
    }

    private static void collect(Pattern pattern, String line, Set<String> into) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
            into.add(m.group(1));
        }
    }

    private static byte[] head(Path path, int bytes) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(bytes);
        }
    }

    private static boolean startsWith(byte[] head, int... magic) {
        return head.length >= magic.length && Arrays.equals(Arrays.copyOf(head, magic.length),
                toBytes(magic));
    }

    private static byte[] toBytes(int[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** POSIX tar: "ustar" at offset 257 of the first header. */
    private static boolean isTar(byte[] head) {
        return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    private static boolean isText(byte[] head) {
        for (byte b : head) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }
}
