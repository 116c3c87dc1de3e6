package org.aes67d.session.internal;

/**
 * What a sink's SDP says about the stream to receive (its first audio media block); {@code rtpTimestampOffset} is
 * the sender's media clock offset ({@code a=mediaclk:direct=N} or {@code a=sync-time:N}), 0 when absent.
 */
record StreamFormat(String address, int port, String codec, int sampleRate, int channels, int packetSamples,
        int payloadType, long rtpTimestampOffset) {
}
