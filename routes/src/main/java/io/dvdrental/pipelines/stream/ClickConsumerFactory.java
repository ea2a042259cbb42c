package io.dvdrental.pipelines.stream;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The ingest route's Kafka consumers (camel-kafka's {@code kafkaClientFactory}): plain {@link KafkaConsumer}s that tell
 * {@link ClickBatchIngest}, on their own thread (a KafkaConsumer is single-threaded), of a poll that brought nothing
 * and of partitions revoked, before the rebalance goes on. camel-kafka's batching consumer calls the route only with
 * records, and the ingest keeps rows across rounds: those of partitions that went quiet are inserted and committed
 * after an empty poll. Each counts what it polled that camel-kafka has not handed over yet ({@link QueuedRecords}):
 * what it polled of a partition before a rebalance revoked it is left out of the rounds ({@link
 * ClickBatchIngest#current}).
 */
@Component(ClickConsumerFactory.BEAN)
public class ClickConsumerFactory extends DefaultKafkaClientFactory {

    static final String BEAN = "clickConsumerFactory";

    private final ClickBatchIngest ingest;

    public ClickConsumerFactory(ClickBatchIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public Consumer getConsumer(Properties kafkaProps) {
        return new ClickConsumer(kafkaProps, ingest);
    }

    static final class ClickConsumer extends KafkaConsumer<Object, Object> implements QueuedRecords.Counting {

        private final ClickBatchIngest ingest;
        private final QueuedRecords queued = new QueuedRecords();

        ClickConsumer(Properties properties, ClickBatchIngest ingest) {
            super(properties);
            this.ingest = ingest;
        }

        @Override
        public ConsumerRecords<Object, Object> poll(Duration timeout) {
            if (queued.takeReadAgain()) {
                readAgainFromCommitted();
            }
            ConsumerRecords<Object, Object> records = super.poll(timeout);
            if (records.isEmpty()) {
                ingest.idle(this);
            }
            for (TopicPartition partition : records.partitions()) {
                queued.polled(partition, records.records(partition).size());
            }
            return records;
        }

        @Override
        public QueuedRecords queued() {
            return queued;
        }

        /** Seeks every assigned partition back to its committed offset (none committed: to its beginning). */
        private void readAgainFromCommitted() {
            Set<TopicPartition> assigned = assignment();
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = committed(assigned);
                List<TopicPartition> none = new ArrayList<>();
                for (TopicPartition partition : assigned) {
                    OffsetAndMetadata offset = committed.get(partition);
                    if (offset == null) {
                        none.add(partition);
                    } else {
                        seek(partition, offset);
                    }
                }
                if (!none.isEmpty()) {
                    seekToBeginning(none); // not with none: an empty list means every assigned partition
                }
            } catch (RuntimeException e) {
                queued.failed(); // nothing polled since: asked again at the next poll
                throw e;
            }
        }

        @Override
        public void subscribe(Collection<String> topics, ConsumerRebalanceListener camel) {
            super.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    queued.revoked(partitions);
                    ingest.revoked(ClickConsumer.this, partitions);
                    camel.onPartitionsRevoked(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    queued.revoked(partitions);
                    ingest.revoked(ClickConsumer.this, partitions);
                    camel.onPartitionsLost(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    camel.onPartitionsAssigned(partitions);
                }
            });
        }
    }
}
