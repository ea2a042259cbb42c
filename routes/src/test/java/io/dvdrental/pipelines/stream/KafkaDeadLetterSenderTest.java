package io.dvdrental.pipelines.stream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaDeadLetterSenderTest {

    @Test
    void aHeadersUtf8LengthIsCountedAsTheEncoderWritesIt() {
        for (String text : new String[]{"", "contract: $.page: must be at most 200 characters", "caf\u00e9",
                "\u20ac 5", "\uD83D\uDE00 emoji", "unpaired \uD800 high", "unpaired \uDC00 low", "\uD800"}) {
            assertThat(KafkaDeadLetterSender.utf8Length(text)).as(text)
                    .isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
