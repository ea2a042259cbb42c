package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.config.ConnectionProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;

/**
 * Keeps the originals of dead letters Kafka cannot take (larger than a producer request may be) in the server's S3
 * bucket, one object per record: {@code dead-letters/<topic>/<topic id>/<partition>/<offset>}, with the reason as
 * object metadata. Writing the same record again (a redelivered round) writes the same object.
 */
@Component
public class DeadLetterArchive {

    static final String PREFIX = "dead-letters/";

    private final S3Client s3;
    private final String bucket;

    public DeadLetterArchive(S3Client s3Client, ConnectionProperties connections) {
        this.s3 = s3Client;
        this.bucket = connections.s3().bucket();
    }

    /** Stores the letter's original bytes; returns the letter without them, pointing at the object. */
    public DeadLetter keep(DeadLetter letter) {
        ClickPartition source = letter.source();
        String key = PREFIX + source.topic() + "/" + source.topicId() + "/" + source.partition() + "/" + letter.offset();
        s3.putObject(b -> b.bucket(bucket).key(key).metadata(Map.of(
                        "dlq-reason", ascii(letter.rejection().describe()),
                        "dlq-source", source.topic() + "-" + source.partition() + "@" + letter.offset())),
                RequestBody.fromBytes(letter.value()));
        return letter.keptAt("s3://" + bucket + "/" + key);
    }

    /** S3 user metadata travels as HTTP headers: printable ASCII only, and short. */
    private static String ascii(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 512 ? printable.substring(0, 512) : printable;
    }
}
