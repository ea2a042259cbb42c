package io.dvdrental.pipelines.cdc;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The capture for operators: {@code GET /api/cdc} (its status, as in {@code /api/pipelines}),
 * {@code POST /api/cdc/slot/drop} (WAL cannot pile up; the capture then waits for a resnapshot) and
 * {@code POST /api/cdc/resnapshot} (a new snapshot in a new generation). The operator role guards all three.
 */
@RestController
public class CaptureController {

    private final CaptureOperations operations;

    public CaptureController(CaptureOperations operations) {
        this.operations = operations;
    }

    @GetMapping("/api/cdc")
    public Map<String, Object> status() {
        return operations.captureStatus();
    }

    @PostMapping("/api/cdc/slot/drop")
    public Map<String, Object> dropSlot(Authentication who) throws Exception {
        return operations.dropSlot("dropped by " + who.getName() + " (POST /api/cdc/slot/drop)");
    }

    @PostMapping("/api/cdc/resnapshot")
    public ResponseEntity<Map<String, Object>> resnapshot(Authentication who) throws Exception {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(operations.resnapshot("requested by " + who.getName() + " (POST /api/cdc/resnapshot)"));
    }

    @ExceptionHandler(CaptureOperations.CaptureOffException.class)
    public ResponseEntity<Map<String, String>> off(CaptureOperations.CaptureOffException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
