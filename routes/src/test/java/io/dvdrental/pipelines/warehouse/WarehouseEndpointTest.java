package io.dvdrental.pipelines.warehouse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarehouseEndpointTest {

    @Test
    void aUrlWithoutAPortTakesTheDefaultPortOfItsScheme() {
        assertThat(WarehouseEndpoint.of("jdbc:clickhouse://warehouse.internal/default").httpUrl())
                .isEqualTo("http://warehouse.internal:8123");
        assertThat(WarehouseEndpoint.of("jdbc:clickhouse:https://abc.clickhouse.cloud/default?ssl=true").httpUrl())
                .isEqualTo("https://abc.clickhouse.cloud:8443");
    }

    @Test
    void hostPortAndDatabaseAsConfigured() {
        WarehouseEndpoint endpoint = WarehouseEndpoint.of("jdbc:ch://127.0.0.1:16403/analytics");
        assertThat(endpoint.httpUrl()).isEqualTo("http://127.0.0.1:16403");
        assertThat(endpoint.database()).isEqualTo("analytics");
        assertThat(WarehouseEndpoint.of("jdbc:clickhouse://127.0.0.1:16403").database()).isEqualTo("default");
    }

    @Test
    void aUrlWithoutAHostIsRefusedWithTheUrl() {
        assertThatThrownBy(() -> WarehouseEndpoint.of("jdbc:clickhouse:default"))
                .hasMessageContaining("jdbc:clickhouse:default");
    }
}
