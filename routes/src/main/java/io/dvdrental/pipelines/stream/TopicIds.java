package io.dvdrental.pipelines.stream;

/** Kafka's id of a topic (its UUID, which a topic created again under the same name does not keep). */
public interface TopicIds {

    /** The id of the topic as the cluster describes it now (asked again, not remembered). */
    String current(String topic);
}
