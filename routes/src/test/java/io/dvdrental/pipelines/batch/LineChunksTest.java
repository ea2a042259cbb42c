package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.batch.LineChunks.Chunk;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cutting the source's COPY text into chunks of whole lines, and what the watermark reads from a chunk. */
class LineChunksTest {

    /** PostgreSQL's text format: a newline or tab inside a value is escaped, NULL is \N. */
    private static final String COPY_TEXT = "1\tone line\\nwith an escaped newline\t2006-02-15 09:34:33\n"
            + "2\t\\N\t2006-02-15 09:34:33.12\n"
            + "3\ta\\ttab and a \\\\ backslash\t\\N\n"
            + "14\tlast\tinfinity\n";

    /** Answers at most {@code step} bytes per read, as a network stream may. */
    private static InputStream trickling(String text, int step) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static List<Chunk> chunks(InputStream in, int bytes) {
        List<Chunk> chunks = new ArrayList<>();
        new LineChunks(in, bytes).forEachRemaining(chunks::add);
        return chunks;
    }

    private static String text(Chunk chunk) {
        return new String(readAll(chunk.stream()), StandardCharsets.UTF_8);
    }

    @Test
    void chunksAreWholeLinesInOrderWithinTheirSizeWhateverTheReadsAnswer() {
        int longest = COPY_TEXT.lines().mapToInt(line -> line.length() + 1).max().orElseThrow();
        for (int size : new int[] {longest, longest + 20, 2 * longest, 1 << 20}) {
            for (int step : new int[] {1, 3, 7, 1 << 20}) {
                List<Chunk> chunks = chunks(trickling(COPY_TEXT, step), size);
                assertThat(chunks).allSatisfy(chunk -> {
                    assertThat(chunk.length()).isLessThanOrEqualTo(size);
                    assertThat(text(chunk)).endsWith("\n").hasLineCount(chunk.lines());
                });
                assertThat(chunks.stream().map(LineChunksTest::text).reduce("", String::concat))
                        .as("chunks of %d bytes, reads of %d", size, step).isEqualTo(COPY_TEXT);
                assertThat(chunks.stream().mapToInt(Chunk::lines).sum()).isEqualTo(4);
            }
        }
        assertThat(chunks(trickling(COPY_TEXT, 5), 1 << 20)).as("one chunk when all fits").hasSize(1);
    }

    /** A newline byte never occurs inside a UTF-8 character: cut after one, every character stays whole. */
    @Test
    void aChunkEndInsideMultiByteTextCutsAtTheLineBeforeIt() {
        String text = "1\tÄpfel und Bären\n2\t日本語のタイトル\n3\tcafé 🎬\n4\tplain\n";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= utf8.length + 1; size++) {
            List<Chunk> chunks = chunks(trickling(text, 4), size);
            assertThat(chunks).extracting(LineChunksTest::text).as("chunks of %d bytes", size)
                    .allSatisfy(chunk -> assertThat(chunk).doesNotContain("\uFFFD").endsWith("\n"));
            assertThat(chunks.stream().map(LineChunksTest::text).reduce("", String::concat)).isEqualTo(text);
            assertThat(chunks.stream().mapToInt(Chunk::lines).sum()).isEqualTo(4);
        }
    }

    @Test
    void aLastLineWithoutItsNewlineIsALineAndNoRowsAreNoChunks() {
        List<Chunk> chunks = chunks(trickling("1\ta\n2\tb", 2), 100);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).lines()).isEqualTo(2);
        assertThat(chunks(trickling("1\ta\n2\tb", 2), 4)).extracting(LineChunksTest::text)
                .containsExactly("1\ta\n", "2\tb");
        assertThat(chunks(trickling("", 1), 10)).isEmpty();
    }

    @Test
    void aLineLongerThanAChunkIsAChunkOfItsOwn() {
        String longValue = "x".repeat(200_000);
        List<Chunk> chunks = chunks(trickling("1\t" + longValue + "\n2\tshort\n3\tshort\n", 10_000), 1_000);
        assertThat(chunks).extracting(LineChunksTest::text)
                .containsExactly("1\t" + longValue + "\n", "2\tshort\n3\tshort\n");
    }

    @Test
    void theWatermarkReadsTheHighestCursorAndKeyOfAChunk() {
        Chunk chunk = chunks(trickling(COPY_TEXT, 5), 1 << 20).get(0);
        // NULL and text that is no timestamp (infinity) are left out.
        assertThat(chunk.maxTimestamp(2)).isEqualTo(LocalDateTime.of(2006, 2, 15, 9, 34, 33, 120_000_000));
        assertThat(chunks(trickling("2006-02-14\n2005-12-31\n", 5), 1 << 20).get(0).maxTimestamp(0))
                .isEqualTo(LocalDateTime.of(2006, 2, 14, 0, 0));
        assertThat(chunk.maxLong(0)).isEqualTo(14L);
        assertThat(chunks(trickling("\\N\t\\N\n", 5), 1 << 20).get(0).maxLong(0)).isNull();
        assertThat(chunks(trickling("\\N\t\\N\n", 5), 1 << 20).get(0).maxTimestamp(1)).isNull();
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
