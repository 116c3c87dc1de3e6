package org.aes67d.audio.basic.internal;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.osgi.service.component.annotations.Component;

/** {@code test:prbs}: the verifier's test signal ({@link TestSignal}) on every channel of a source. */
@Component(service = AudioBackend.class, property = AudioBackend.SCHEME + "=test")
public class TestSignalBackend implements AudioBackend {
    @Override
    public AudioInput openInput(String io, AudioFormat format) {
        if (!io.equals("test:prbs")) {
            throw new IllegalArgumentException("expected test:prbs, got " + io);
        }
        return new TestSignalInput(format.channels());
    }

    @Override
    public AudioOutput openOutput(String io, AudioFormat format) {
        throw new IllegalArgumentException("test: is for sources only (a sink verifies with verify:)");
    }
}
