package org.aes67d.session.internal;

/** What a sink's SDP says about the stream to receive (its first audio media block). */
record StreamFormat(String address, int port, String codec, int sampleRate, int channels, int packetSamples,
        int payloadType) {
}
