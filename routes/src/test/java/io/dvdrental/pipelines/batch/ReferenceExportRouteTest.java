package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.config.ConnectionProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import java.util.List;
import java.util.Map;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The route {@code batch-export} alone, without services: the S3 puts are replaced by a mock endpoint and the step
 * bean by a Mockito mock. The files travel in the body, the pointer last, and nothing is written when the export is
 * not due.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = {ReferenceExportRoute.class, ReferenceExportRouteTest.Settings.class})
@ImportAutoConfiguration(CamelAutoConfiguration.class)
class ReferenceExportRouteTest {

    static class Settings {
        @Bean
        ConnectionProperties connections() {
            ConnectionProperties.Jdbc unused = new ConnectionProperties.Jdbc("jdbc:unused", null, null, null);
            return new ConnectionProperties(unused, unused, unused, new ConnectionProperties.Kafka("unused:9092"),
                    new ConnectionProperties.S3(null, "us-east-1", null, null, true, "reference-test"), null);
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @MockitoBean
    ReferenceExporter exporter;
    @EndpointInject("mock:s3")
    MockEndpoint s3;

    @BeforeEach
    void adviseAndStart() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "batch-export", route -> {
                route.replaceFromWith("direct:export-test");
                for (String put : List.of("put-dim-film-csv", "put-dim-film-jsonl", "put-dim-film-latest")) {
                    route.weaveById(put).replace().to("mock:s3");
                }
            });
            camel.start();
        }
        s3.reset();
    }

    @Test
    void writesTheFilesInTheBodyAndThePointerLast() throws Exception {
        when(exporter.due(any())).thenReturn(true);
        when(exporter.read(any())).thenReturn(new ReferenceExporter.Films("run-1", List.of(Map.of("film_id", 1))));
        when(exporter.csv(any())).thenReturn("film_id\n1\n");
        when(exporter.jsonLines(any())).thenReturn("{\"film_id\":1}\n");
        when(exporter.pointer(any(), any())).thenReturn("{\"version\":\"run-1\"}");
        s3.expectedBodiesReceived("film_id\n1\n", "{\"film_id\":1}\n", "{\"version\":\"run-1\"}");
        s3.expectedHeaderValuesReceivedInAnyOrder(AWS2S3Constants.KEY, "reference/dim_film/run-1/dim_film.csv",
                "reference/dim_film/run-1/dim_film.jsonl", "reference/dim_film/latest.json");

        producer.sendBody("direct:export-test", null);

        s3.assertIsSatisfied();
        verify(exporter).exported(any(), any());
    }

    @Test
    void writesNothingWhenTheExportIsNotDue() throws Exception {
        when(exporter.due(any())).thenReturn(false);
        s3.expectedMessageCount(0);

        producer.sendBody("direct:export-test", null);

        s3.assertIsSatisfied();
        verify(exporter, never()).read(any());
    }

    @Test
    void aFailedPutIsRecordedAsTheStepsFailureAndThePointerIsNotWritten() throws Exception {
        when(exporter.due(any())).thenReturn(true);
        when(exporter.read(any())).thenReturn(new ReferenceExporter.Films("run-2", List.of()));
        when(exporter.csv(any())).thenThrow(new IllegalStateException("S3 refused the file"));
        s3.expectedMessageCount(0);

        producer.sendBody("direct:export-test", null);

        s3.assertIsSatisfied();
        verify(exporter).failed(any(), any());
        verify(exporter, never()).pointer(any(), any());
    }
}
