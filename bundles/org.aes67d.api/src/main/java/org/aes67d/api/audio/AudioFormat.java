package org.aes67d.api.audio;

/** Sample rate and channel count of an audio endpoint. Samples are 32-bit signed, left-justified. */
public record AudioFormat(int sampleRate, int channels) {
}
