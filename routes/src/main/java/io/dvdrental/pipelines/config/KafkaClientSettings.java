package io.dvdrental.pipelines.config;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settings every Kafka client of the server shares (brokers, security protocol, SASL, TLS trust, additional
 * properties), read from the one place they are configured: Camel's Kafka component ({@code camel.component.kafka.*}).
 * The routes' consumers and producers get them from the component itself; the admin clients that create topics and
 * read the lag get them here, so that a SASL_SSL cluster is reached by all of them alike.
 */
@Component
public class KafkaClientSettings {

    private static final Set<String> ADMIN_KEYS = AdminClientConfig.configNames();

    private final CamelContext camel;

    public KafkaClientSettings(CamelContext camel) {
        this.camel = camel;
    }

    /** The largest request the component's producers may send (Kafka's max.request.size). */
    public int maxRequestSize() {
        Integer configured = component().getMaxRequestSize();
        return configured == null ? 1_048_576 : configured;
    }

    private KafkaConfiguration component() {
        return camel.getComponent("kafka", KafkaComponent.class).getConfiguration();
    }

    /** Properties of an admin client named {@code clientId}, with the component's brokers and security. */
    public Map<String, Object> admin(String clientId) {
        KafkaConfiguration component = component();
        Map<String, Object> admin = new HashMap<>();
        // The consumer properties carry the component's security, SSL, SASL and additional settings.
        component.createConsumerProperties().forEach((key, value) -> {
            if (ADMIN_KEYS.contains((String) key)) {
                admin.put((String) key, value);
            }
        });
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, component.getBrokers());
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return admin;
    }
}
