package io.dvdrental.pipelines.warehouse;

/**
 * Tables a pipeline makes itself in the warehouse, after the migrations (the batch's bronze tables), rendered for
 * the deployment found by the migrations ({@link WarehouseDdl}). Idempotent.
 */
public interface PipelineTables {

    void apply(WarehouseDdl ddl);
}
