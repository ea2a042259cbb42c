package io.dvdrental.pipelines.capture;

import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateOffsetBackingStoreTest {

    private final InMemoryCaptureStore state = new InMemoryCaptureStore();

    @AfterEach
    void unregister() {
        StateOffsetBackingStore.unregister("orders");
    }

    @Test
    void offsetsSetByTheEngineAreStoredAndReadBackByTheNextEngine() throws Exception {
        StateOffsetBackingStore.register("orders", state);
        StateOffsetBackingStore first = started();
        first.set(Map.of(bytes("[\"orders\",{\"server\":\"orders\"}]"), bytes("{\"lsn\":42,\"txId\":7}")), null)
                .get(5, TimeUnit.SECONDS);
        first.stop();

        assertThat(state.loadOffsets()).containsEntry("[\"orders\",{\"server\":\"orders\"}]", "{\"lsn\":42,\"txId\":7}");
        StateOffsetBackingStore second = started();
        Map<ByteBuffer, ByteBuffer> read = second.get(List.of(bytes("[\"orders\",{\"server\":\"orders\"}]")))
                .get(5, TimeUnit.SECONDS);
        assertThat(text(read.get(bytes("[\"orders\",{\"server\":\"orders\"}]")))).isEqualTo("{\"lsn\":42,\"txId\":7}");
        second.stop();
    }

    @Test
    void aFlushThatCannotBeStoredFailsAndIsWrittenByTheNextOne() throws Exception {
        StateOffsetBackingStore.register("orders", state);
        StateOffsetBackingStore store = started();
        state.failSaves = true;
        assertThatThrownBy(() -> store.set(Map.of(bytes("k"), bytes("{\"lsn\":1}")), null).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("state database away");
        assertThat(state.loadOffsets()).isEmpty();

        state.failSaves = false;
        store.set(Map.of(bytes("k"), bytes("{\"lsn\":2}")), null).get(5, TimeUnit.SECONDS);
        assertThat(state.loadOffsets()).containsExactly(Map.entry("k", "{\"lsn\":2}"));
        store.stop();
    }

    @Test
    void anEngineOfACaptureWithoutAStoreDoesNotStart() {
        StateOffsetBackingStore store = new StateOffsetBackingStore();
        assertThatThrownBy(() -> store.configure(config()))
                .hasMessageContaining("No offset store is registered for capture 'orders'");
    }

    private static StateOffsetBackingStore started() {
        StateOffsetBackingStore store = new StateOffsetBackingStore();
        store.configure(config());
        store.start();
        return store;
    }

    private static StandaloneConfig config() {
        return new StandaloneConfig(Map.of(StateOffsetBackingStore.CAPTURE, "orders",
                "offset.storage.file.filename", "", "bootstrap.servers", "localhost:1",
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter"));
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
