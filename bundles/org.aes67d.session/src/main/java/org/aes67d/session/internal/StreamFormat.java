package org.aes67d.session.internal;

/**
 * What a sink's SDP says about the stream to receive: its first audio media block, or for an ST 2022-7 SDP the
 * first leg of {@code a=group:DUP}, with the second leg's address and port ({@code secondaryAddress} null when the
 * SDP has one leg); {@code rtpTimestampOffset} is the sender's media clock offset ({@code a=mediaclk:direct=N} or
 * {@code a=sync-time:N}), 0 when absent.
 */
record StreamFormat(String address, int port, String codec, int sampleRate, int channels, int packetSamples,
        int payloadType, String secondaryAddress, int secondaryPort, long rtpTimestampOffset) {
    StreamFormat(String address, int port, String codec, int sampleRate, int channels, int packetSamples,
            int payloadType) {
        this(address, port, codec, sampleRate, channels, packetSamples, payloadType, null, 0, 0);
    }

    StreamFormat(String address, int port, String codec, int sampleRate, int channels, int packetSamples,
            int payloadType, long rtpTimestampOffset) {
        this(address, port, codec, sampleRate, channels, packetSamples, payloadType, null, 0, rtpTimestampOffset);
    }

    StreamFormat(String address, int port, String codec, int sampleRate, int channels, int packetSamples,
            int payloadType, String secondaryAddress, int secondaryPort) {
        this(address, port, codec, sampleRate, channels, packetSamples, payloadType, secondaryAddress, secondaryPort,
                0);
    }

    boolean redundant() {
        return secondaryAddress != null;
    }
}
