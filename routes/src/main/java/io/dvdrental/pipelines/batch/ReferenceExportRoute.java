package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.reference.FilmReferenceExport;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.springframework.stereotype.Component;

/**
 * After gold: dim_film to S3 as CSV and JSON lines under a versioned key per run, then the {@code latest.json}
 * pointer the streaming side watches, written last so that it never names files that are not there yet.
 */
@Component
public class ReferenceExportRoute extends RouteBuilder {

    @Override
    public void configure() {
        String s3 = "aws2-s3://{{dvd.s3.bucket}}?amazonS3Client=#s3Client&autoCreateBucket=true";
        from("direct:batch-export").routeId("batch-export")
                .onException(Exception.class).handled(true)
                    .bean(ReferenceExporter.class, "failed")
                .end()
                .bean(ReferenceExporter.class, "plan")
                .filter(header("export"))
                    .bean(ReferenceExporter.class, "render")
                    .setHeader(AWS2S3Constants.KEY, method(FilmReferenceExport.class, "csvKey(${header.version})"))
                    .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("text/csv"))
                    .setBody(header("csv"))
                    .to(s3).id("put-dim-film-csv")
                    .setHeader(AWS2S3Constants.KEY, method(FilmReferenceExport.class, "jsonlKey(${header.version})"))
                    .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("application/x-ndjson"))
                    .setBody(header("jsonl"))
                    .to(s3).id("put-dim-film-jsonl")
                    .setHeader(AWS2S3Constants.KEY, constant(FilmReferenceExport.POINTER_KEY))
                    .setHeader(AWS2S3Constants.CONTENT_TYPE, constant("application/json"))
                    .bean(ReferenceExporter.class, "pointer")
                    .to(s3).id("put-dim-film-latest")
                    .bean(ReferenceExporter.class, "exported")
                .end();
    }
}
