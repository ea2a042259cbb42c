package io.dvdrental.pipelines.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's words: what a bad one answers (exit 2 and the usage), what a good one asks the server. */
class BatchCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(err),
            new BufferedReader(new StringReader("")), false, 100);

    private int execute(String... args) {
        return BatchCli.execute(terminal, args);
    }

    @Test
    void noCommandShowsTheUsage() {
        assertThat(execute()).isEqualTo(BatchCli.USAGE);
        assertThat(err.toString()).contains("Usage: ./dvd batch").contains("run").contains("follow").contains("runs");
    }

    @Test
    void badArgumentsGetTheirReasonAndTheUsage() {
        assertThat(execute("run", "fulll")).isEqualTo(BatchCli.USAGE);
        assertThat(err.toString()).contains("Unknown mode 'fulll': incremental, full, backfill")
                .contains("Usage: ./dvd batch run");
    }

    @Test
    void aBackfillWithoutItsRangeIsRefused() {
        assertThat(execute("run", "backfill", "--from", "2005-05-01")).isEqualTo(BatchCli.USAGE);
        assertThat(err.toString()).contains("A backfill needs --from and --to (YYYY-MM-DD)");
    }

    @Test
    void aDateThatIsNotOneIsNamed() {
        assertThat(execute("run", "backfill", "--from", "2005-13-01", "--to", "2005-06-01")).isEqualTo(BatchCli.USAGE);
        assertThat(err.toString()).contains("'2005-13-01' is not a date (YYYY-MM-DD)");
    }

    @Test
    void unknownOptionsAndLimitsOutOfRangeAreRefused() {
        assertThat(execute("runs", "--limit", "0")).isEqualTo(BatchCli.USAGE);
        assertThat(err.toString()).contains("--limit must be 1..500, was 0");
        assertThat(execute("run", "full", "--tabels", "rental")).isEqualTo(BatchCli.USAGE);
        assertThat(err.toString()).contains("Unknown options: '--tabels', 'rental'")
                .contains("Possible solutions: --tables");
        assertThat(execute("follow")).isEqualTo(BatchCli.USAGE);
        assertThat(err.toString()).contains("Missing required parameter: 'RUN_ID'");
    }

    @Test
    void goodArgumentsMakeTheRequestBody() {
        var parsed = BatchCli.commandLine(terminal).parseArgs("run", "backfill", "--from", "2005-05-01", "--to",
                "2005-06-01", "--tables", "rental,payment");
        BatchCli.Run run = (BatchCli.Run) parsed.subcommand().commandSpec().userObject();
        assertThat(run.request()).isEqualTo(Map.of("mode", "backfill", "from", "2005-05-01", "to", "2005-06-01",
                "tables", List.of("rental", "payment")));
    }

    @Test
    void aMissingPasswordFileSaysWhereItShouldBe() {
        Path missing = dir.resolve("operator.password");
        assertThat(execute("runs", "--password-file", missing.toString(), "--server", "http://127.0.0.1:1"))
                .isEqualTo(BatchCli.NO_RUN);
        assertThat(err.toString()).contains("No operator password: cannot read " + missing + " (NoSuchFileException)");
    }

    @Test
    void aServerThatDoesNotAnswerIsNamedWithHowToStartIt() throws IOException {
        Path password = Files.writeString(dir.resolve("operator.password"), "secret\n");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThat(execute("run", "full", "--password-file", password.toString(),
                "--server", "http://127.0.0.1:" + closedPort)).isEqualTo(BatchCli.NO_RUN);
        assertThat(err.toString()).contains("Cannot reach the server at http://127.0.0.1:" + closedPort + "/")
                .contains("./dvd demo");
    }
}
