package io.dvdrental.pipelines.cli;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRequestsTest {

    private static final LocalDate MAY = LocalDate.of(2005, 5, 1);
    private static final LocalDate JUNE = LocalDate.of(2005, 6, 1);

    @Test
    void noModeIsAnIncrementalRunOfEveryTable() {
        assertThat(RunRequests.of(null, null, null, null)).isEqualTo(Map.of("mode", "incremental"));
    }

    @Test
    void aBackfillCarriesItsRangeAndTables() {
        assertThat(RunRequests.of("BACKFILL", MAY, JUNE, List.of("rental", " payment")))
                .containsExactly(Map.entry("mode", "backfill"), Map.entry("from", "2005-05-01"),
                        Map.entry("to", "2005-06-01"), Map.entry("tables", List.of("rental", "payment")));
    }

    @Test
    void badWordsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> RunRequests.of("fulll", null, null, null))
                .hasMessage("Unknown mode 'fulll': incremental, full, backfill");
        assertThatThrownBy(() -> RunRequests.of("backfill", MAY, null, null))
                .hasMessage("A backfill needs --from and --to (YYYY-MM-DD)");
        assertThatThrownBy(() -> RunRequests.of("backfill", JUNE, MAY, null))
                .hasMessage("--from (2005-06-01) must be before --to (2005-05-01)");
        assertThatThrownBy(() -> RunRequests.of("full", MAY, null, null))
                .hasMessage("--from and --to go with backfill only (a full run reads everything)");
        assertThatThrownBy(() -> RunRequests.of("full", null, null, List.of("rental", "rental")))
                .hasMessage("--tables names rental twice");
        assertThatThrownBy(() -> RunRequests.of("full", null, null, List.of("rental", "")))
                .hasMessage("--tables has an empty name: rental,");
    }
}
