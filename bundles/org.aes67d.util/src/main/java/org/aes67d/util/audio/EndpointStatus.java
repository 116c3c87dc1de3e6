package org.aes67d.util.audio;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a device binding reports (REST, console): written by its device thread with plain volatile stores,
 * read by control code as a snapshot map. Nothing here is on a lock.
 */
public final class EndpointStatus {
    public enum State { OPENING, RUNNING, ERROR, CLOSED }

    private final String io;
    private final String direction;
    private final int channels;
    private final int rate;

    private volatile State state = State.OPENING;
    private volatile String error = "";
    private volatile String format = "";
    private volatile int periodFrames;
    private volatile int bufferFrames;
    private volatile int ringTargetFrames;
    private volatile long xruns;
    private volatile long underrunFrames;
    private volatile long overrunFrames;
    private volatile long opens;
    private volatile long failures;
    private volatile boolean resampling;
    /** Times the resampler took over from pass-through: a stall must never be one (counted since creation). */
    private volatile long resamplerEngagements;
    private volatile double ratio = 1.0;
    private volatile double driftPpm;

    /**
     * @param direction {@code capture} (the device feeds a source) or {@code playback} (a sink feeds the device)
     */
    public EndpointStatus(String io, String direction, int channels, int rate) {
        this.io = io;
        this.direction = direction;
        this.channels = channels;
        this.rate = rate;
    }

    public String io() {
        return io;
    }

    public State state() {
        return state;
    }

    public String error() {
        return error;
    }

    public long xruns() {
        return xruns;
    }

    public long underrunFrames() {
        return underrunFrames;
    }

    public long overrunFrames() {
        return overrunFrames;
    }

    public long opens() {
        return opens;
    }

    public int periodFrames() {
        return periodFrames;
    }

    public int bufferFrames() {
        return bufferFrames;
    }

    /** The device is open with these parameters. */
    public void running(String format, int periodFrames, int bufferFrames, int ringTargetFrames) {
        this.format = format;
        this.periodFrames = periodFrames;
        this.bufferFrames = bufferFrames;
        this.ringTargetFrames = ringTargetFrames;
        this.error = "";
        this.opens++;
        this.state = State.RUNNING;
    }

    /** The device failed (or could not open); it is retried. Returns true if this is a new error text. */
    public boolean failed(String reason) {
        boolean fresh = state != State.ERROR || !reason.equals(error);
        error = reason;
        failures++;
        state = State.ERROR;
        return fresh;
    }

    /** Consumer side of a compensated bridge: the resampler's mode and ratio, the measured drift. */
    public void resampler(boolean active, double inputPerOutput, double ppm) {
        if (active && !resampling) {
            resamplerEngagements++;
        }
        resampling = active;
        ratio = inputPerOutput;
        driftPpm = ppm;
    }

    public boolean resampling() {
        return resampling;
    }

    public long resamplerEngagements() {
        return resamplerEngagements;
    }

    public double driftPpm() {
        return driftPpm;
    }

    public void closed() {
        state = State.CLOSED;
    }

    public void xrun() {
        xruns++;
    }

    /** Frames the engine or the device wanted and the ring did not have (played as silence). */
    public void underrun(int frames) {
        underrunFrames += frames;
    }

    /** Frames that did not fit the ring (dropped). */
    public void overrun(int frames) {
        overrunFrames += frames;
    }

    /**
     * Added latency in frames: the device buffer plus the ring's working fill between device and engine.
     */
    public int latencyFrames() {
        return bufferFrames + ringTargetFrames;
    }

    /** A snapshot for JSON (snake_case keys, as the rest of the API). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("io", io);
        m.put("direction", direction);
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("error", error);
        m.put("format", format);
        m.put("channels", channels);
        m.put("sample_rate", rate);
        m.put("period_frames", periodFrames);
        m.put("buffer_frames", bufferFrames);
        int latency = latencyFrames();
        m.put("latency_frames", latency);
        m.put("latency_ms", Math.round(latency * 1_000_000.0 / rate) / 1000.0);
        m.put("xruns", xruns);
        m.put("underrun_frames", underrunFrames);
        m.put("overrun_frames", overrunFrames);
        m.put("drift_ppm", Math.round(driftPpm * 1000) / 1000.0);
        m.put("resampler", resampling ? "resampling" : "pass-through");
        m.put("resampler_ratio", ratio);
        m.put("resampler_engagements", resamplerEngagements);
        m.put("opens", opens);
        m.put("failures", failures);
        return m;
    }
}
