package io.dvdrental.pipelines.insights;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.Map;

/**
 * Errors of the insights and pipelines API as JSON: the caller's mistakes as 400, gold not built yet as 404, a store
 * away as 503. {@code reason} tells the last two apart for the dashboards.
 */
@RestControllerAdvice(assignableTypes = {InsightsController.class, PipelinesController.class})
public class InsightsErrors {

    private static final Logger LOG = LoggerFactory.getLogger(InsightsErrors.class);

    @ExceptionHandler(InvalidParameterException.class)
    public ResponseEntity<Map<String, String>> invalid(InvalidParameterException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage(), "parameter", e.parameter()));
    }

    @ExceptionHandler(NoBatchRunYetException.class)
    public ResponseEntity<Map<String, String>> noBatchRunYet(NoBatchRunYetException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage(),
                "reason", "no-batch-run", "command", NoBatchRunYetException.START_COMMAND));
    }

    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<Map<String, String>> warehouseAway(DataAccessException e) {
        LOG.warn("Insights query failed: {}", e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("error", "the warehouse could not answer; the server log has the cause",
                        "reason", "warehouse-unavailable"));
    }
}
