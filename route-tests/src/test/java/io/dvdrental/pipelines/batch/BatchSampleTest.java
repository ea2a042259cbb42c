package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.DvdPipelinesApplication;
import io.dvdrental.pipelines.support.TestServicesInitializer;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The whole server against the real test services, with its source on the restored dvdrental sample. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CamelSpringBootTest
@SpringBootTest(classes = DvdPipelinesApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestServicesInitializer.class, SampleSource.class})
@ActiveProfiles("test")
public @interface BatchSampleTest {
}
