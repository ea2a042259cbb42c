package io.dvdrental.pipelines.insights;

import java.util.Map;

/** Change data capture as {@code /api/pipelines} shows it: mode, state, slot and lag. Implemented by the capture. */
public interface CaptureStatusSource {

    Map<String, Object> captureStatus();
}
