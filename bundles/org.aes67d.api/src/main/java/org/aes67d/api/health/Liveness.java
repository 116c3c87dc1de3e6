package org.aes67d.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered by a component whose threads must keep running (the audio engine, PTP). The watchdog reads every
 * Liveness service every few seconds and tells the service manager the daemon is alive only when every counter of
 * every service has grown since its previous reading; a stalled thread stops the watchdog, and systemd restarts
 * the daemon.
 */
@ConsumerType
@FunctionalInterface
public interface Liveness {
    /** Service property naming what is watched, for logs and the service status ("engine", "ptp"). */
    String NAME = "aes67d.liveness";

    /**
     * One counter per watched thread, each incremented every time its thread goes round its loop, which a healthy
     * thread does at least once a second. Called from the watchdog's thread, never from the audio path; an empty
     * array means nothing to watch right now.
     */
    long[] progress();
}
