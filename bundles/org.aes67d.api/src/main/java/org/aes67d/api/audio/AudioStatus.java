package org.aes67d.api.audio;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a backend's open endpoints for the console and monitoring, each a JSON-ready map with at least
 * {@code io}, {@code direction} (capture, playback), {@code state} (opening, running, error, closed) and
 * {@code error}; device bindings add {@code period_frames}, {@code buffer_frames}, {@code latency_ms},
 * {@code drift_ppm}, {@code resampler} and the xrun counters. Register with {@link AudioBackend#SCHEME}.
 */
@ConsumerType
public interface AudioStatus {
    List<Map<String, Object>> endpoints();
}
