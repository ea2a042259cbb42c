package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.transforms.reference.FilmReferenceExport;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.springframework.stereotype.Component;

/**
 * After gold: dim_film to S3 as CSV and JSON lines under a versioned key per run, then the {@code latest.json}
 * pointer the streaming side watches, written last so that it never names files that are not there yet. Each file
 * travels in the body; the films are read once (exchange property {@link ReferenceExporter#FILMS}).
 */
@Component
public class ReferenceExportRoute extends EndpointRouteBuilder {

    private final String bucket;

    public ReferenceExportRoute(ConnectionProperties connections) {
        this.bucket = connections.s3().bucket();
    }

    @Override
    public void configure() {
        var s3 = aws2S3(bucket).autoCreateBucket(true).advanced().amazonS3Client("#s3Client");
        from(direct("batch-export")).routeId("batch-export")
                .onException(Exception.class).handled(true)
                    .bean(ReferenceExporter.class, "failed")
                .end()
                .filter(method(ReferenceExporter.class, "due")).id("export-due")
                    .setProperty(ReferenceExporter.FILMS, method(ReferenceExporter.class, "read"))
                    .setHeader(AWS2S3Constants.KEY, method(FilmReferenceExport.class,
                            "csvKey(${exchangeProperty." + ReferenceExporter.FILMS + ".version()})"))
                    .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("text/csv"))
                    .setBody(method(ReferenceExporter.class, "csv"))
                    .to(s3).id("put-dim-film-csv")
                    .setHeader(AWS2S3Constants.KEY, method(FilmReferenceExport.class,
                            "jsonlKey(${exchangeProperty." + ReferenceExporter.FILMS + ".version()})"))
                    .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("application/x-ndjson"))
                    .setBody(method(ReferenceExporter.class, "jsonLines"))
                    .to(s3).id("put-dim-film-jsonl")
                    .setHeader(AWS2S3Constants.KEY, constant(FilmReferenceExport.POINTER_KEY))
                    .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("application/json"))
                    .setBody(method(ReferenceExporter.class, "pointer"))
                    .to(s3).id("put-dim-film-latest")
                    .bean(ReferenceExporter.class, "exported")
                .end();
    }
}
