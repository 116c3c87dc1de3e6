package org.aes67d.api.audio;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: where audio comes from and goes to, chosen by the scheme of a stream's {@code io}
 * ({@code file}, {@code tone}, {@code pipe}, ...). Register with service property {@link #SCHEME}.
 */
@ConsumerType
public interface AudioBackend {
    String SCHEME = "aes67d.audio.scheme";

    AudioInput openInput(String io, AudioFormat format) throws IOException;

    AudioOutput openOutput(String io, AudioFormat format) throws IOException;
}
