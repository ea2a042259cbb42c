package io.dvdrental.pipelines.services;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StackConfigTest {

    private final StackConfig test = new StackConfig("test", Path.of("/repo"), Path.of("/repo/.local/test"),
            Path.of("/cache"), 16400, 16401, 16402, 16403, 16404, 16405);

    @Test
    void theFirstTestJvmUsesTheStackItself() {
        assertThat(test.forFork(1)).isSameAs(test);
    }

    @Test
    void anotherTestJvmGetsAStackBesideItWhosePortsTakeNoneOfTheFirstOnes() {
        StackConfig second = test.forFork(2);
        assertThat(second.name()).isEqualTo("test-fork2");
        assertThat(second.home()).isEqualTo(Path.of("/repo/.local/test-fork2"));
        assertThat(second.cache()).as("downloads are shared").isEqualTo(test.cache());
        assertThat(new int[] {second.postgresPort(), second.kafkaPort(), second.kafkaControllerPort(),
                second.clickhouseHttpPort(), second.clickhouseTcpPort(), second.s3Port()})
                .containsExactly(16410, 16411, 16412, 16413, 16414, 16415);
    }
}
