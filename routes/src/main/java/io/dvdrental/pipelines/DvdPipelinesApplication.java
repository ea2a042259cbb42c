package io.dvdrental.pipelines;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The DVD rental integration server: every pipeline is a Camel route in this one long-running process. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DvdPipelinesApplication {

    public static void main(String[] args) {
        SpringApplication.run(DvdPipelinesApplication.class, args);
    }
}
