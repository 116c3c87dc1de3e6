package org.aes67d.audio.basic.internal;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.osgi.service.component.annotations.Component;

/** {@code tone:<hz>[@<dBFS>]} (default -18 dBFS): a sine on every channel of a source. Nothing to configure. */
@Component(service = AudioBackend.class, property = AudioBackend.SCHEME + "=tone")
public class ToneBackend implements AudioBackend {
    @Override
    public AudioInput openInput(String io, AudioFormat format) {
        return new ToneInput(io, format);
    }

    @Override
    public AudioOutput openOutput(String io, AudioFormat format) {
        throw new IllegalArgumentException("tone: is for sources only");
    }
}
