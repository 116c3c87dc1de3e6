package org.aes67d.audio.basic.internal;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.osgi.service.component.annotations.Component;

/** {@code verify:} (or {@code verify:prbs}): a sink that checks every sample against {@code test:prbs}. */
@Component(service = AudioBackend.class, property = AudioBackend.SCHEME + "=verify")
public class VerifyBackend implements AudioBackend {
    @Override
    public AudioInput openInput(String io, AudioFormat format) {
        throw new IllegalArgumentException("verify: is for sinks only (a source sends the signal with test:prbs)");
    }

    @Override
    public AudioOutput openOutput(String io, AudioFormat format) {
        if (!io.equals("verify:") && !io.equals("verify:prbs")) {
            throw new IllegalArgumentException("expected verify: or verify:prbs, got " + io);
        }
        return new VerifyOutput(format.channels());
    }
}
