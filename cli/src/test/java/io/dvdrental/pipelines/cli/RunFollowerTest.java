package io.dvdrental.pipelines.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedList;
import java.util.List;

import static io.dvdrental.pipelines.cli.Runs.run;
import static io.dvdrental.pipelines.cli.Runs.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The follow loop on a scripted server: what a log gets, what a terminal gets, and a server that blips. */
class RunFollowerTest {

    private final StringWriter out = new StringWriter();
    private final LinkedList<Object> answers = new LinkedList<>();
    private int pauses;

    private RunFollower follower(boolean interactive) {
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(new StringWriter()),
                new BufferedReader(new StringReader("")), interactive, 200);
        return new RunFollower(id -> {
            Object next = answers.pop();
            if (next instanceof ApiException e) {
                throw e;
            }
            return (RunStatus) next;
        }, terminal, InstantSource.fixed(Runs.STARTED.plusSeconds(5)), d -> pauses++, Duration.ZERO);
    }

    private void script() {
        answers.add(run("RUNNING", null, List.of(step("extract:rental", "RUNNING", 0, 0, null, null)), null));
        answers.add(run("RUNNING", null, List.of(step("extract:rental", "SUCCEEDED", 100, 100, 10L, null),
                step("extract:film", "RUNNING", 0, 0, null, null)), null));
        answers.add(run("FAILED", "failed steps: extract:film", List.of(
                step("extract:rental", "SUCCEEDED", 100, 100, 10L, null),
                step("extract:film", "FAILED", 0, 0, 20L, "source unreachable")), Runs.STARTED.plusSeconds(2)));
    }

    @Test
    void aLogGetsOneLinePerFinishedStepOnceAndTheEnd() throws Exception {
        script();
        RunStatus end = follower(false).follow("r");
        assertThat(end.state()).isEqualTo("FAILED");
        assertThat(out.toString().lines()).containsExactly(
                "Batch run 20261130215500-ab12cd34 (full): 42 steps",
                "[ 1/42] extract:rental               SUCCEEDED          100 read          100 written     0.0 s",
                "[ 2/42] extract:film                 FAILED               0 read            0 written     0.0 s  source unreachable",
                "Batch run 20261130215500-ab12cd34 FAILED after 0:02: 2/42 steps, 100 rows extracted.",
                "  failed extract:film: source unreachable");
        assertThat(pauses).isEqualTo(2);
    }

    @Test
    void aTerminalGetsOneLineRewrittenInPlace() throws Exception {
        script();
        follower(true).follow("r");
        String shown = out.toString();
        assertThat(shown).contains("\r" + "full run 20261130215500-ab12cd34  RUNNING  0/42 steps  0 rows  0:05  "
                + "extract:rental\033[K");
        assertThat(shown).contains("\rfull run 20261130215500-ab12cd34  RUNNING  1/42 steps  100 rows  0:05  "
                + "extract:film\033[K");
        assertThat(shown).endsWith("\r\033[KBatch run 20261130215500-ab12cd34 FAILED after 0:02: 2/42 steps, "
                + "100 rows extracted.\n  failed extract:film: source unreachable\n");
        assertThat(shown.split("\n")).as("the progress stays on one line").hasSize(3);
    }

    @Test
    void aServerThatBlipsIsWaitedFor() throws Exception {
        script();
        answers.add(1, new ApiException(0, BatchCli.NO_RUN, "Cannot reach the server"));
        assertThat(follower(false).follow("r").state()).isEqualTo("FAILED");
    }

    @Test
    void aServerGoneForGoodEndsTheFollowWithHowToResume() {
        answers.add(run("RUNNING", null, List.of(), null));
        for (int i = 0; i < RunFollower.PATIENCE; i++) {
            answers.add(new ApiException(0, BatchCli.NO_RUN, "Cannot reach the server"));
        }
        assertThatThrownBy(() -> follower(false).follow("r-1")).isInstanceOf(ApiException.class)
                .hasMessageContaining("Cannot reach the server")
                .hasMessageContaining("it may still be going: ./dvd batch follow r-1");
    }
}
