package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRequestTest {

    private static final SourceTables TABLES = SourceTables.load();

    private static BatchRun.Request request(String mode, List<String> tables, String from, String to, String scope) {
        return new BatchRunController.RunRequest(mode, tables, from, to, scope).toRequest(TABLES);
    }

    @Test
    void anEmptyRequestIsAnIncrementalRunOfEveryTable() {
        BatchRun.Request request = request(null, null, null, null, null);
        assertThat(request.mode()).isEqualTo(BatchRun.Mode.INCREMENTAL);
        assertThat(request.scope()).isEqualTo(BatchRun.Scope.ALL);
        assertThat(request.tables()).isEqualTo(TABLES.names());
    }

    @Test
    void takesModesScopesTablesAndDates() {
        BatchRun.Request backfill = request("BackFill", List.of("rental", "payment"), "2005-05-01", "2005-06-01", null);
        assertThat(backfill.mode()).isEqualTo(BatchRun.Mode.BACKFILL);
        assertThat(backfill.tables()).containsExactly("rental", "payment");
        assertThat(backfill.from()).isEqualTo(LocalDateTime.of(2005, 5, 1, 0, 0));
        assertThat(request(null, null, null, null, "dim_date").tables()).isEmpty();
    }

    @Test
    void refusesWhatItCannotCarryOutNamingTheValue() {
        assertThatThrownBy(() -> request(null, List.of("rental", "rental"), null, null, null))
                .hasMessage("'rental' is listed twice in \"tables\"");
        assertThatThrownBy(() -> request(null, List.of("films"), null, null, null))
                .hasMessageStartingWith("Unknown source table 'films'");
        assertThatThrownBy(() -> request("fast", null, null, null, null))
                .hasMessage("Unknown mode 'fast'; known: incremental, full, backfill");
        assertThatThrownBy(() -> request(null, null, null, null, "gold"))
                .hasMessage("Unknown scope 'gold'; known: all, dim_date");
        assertThatThrownBy(() -> request("backfill", null, "2005-13-01", "2005-06-01", null))
                .hasMessage("\"from\" is not a date (yyyy-MM-dd): '2005-13-01'");
        assertThatThrownBy(() -> request("backfill", null, "2005-06-01", "2005-05-01", null))
                .hasMessage("A backfill needs \"from\" before \"to\" (dates, yyyy-MM-dd)");
    }
}
