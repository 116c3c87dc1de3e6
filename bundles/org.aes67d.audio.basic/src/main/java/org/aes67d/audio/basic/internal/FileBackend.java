package org.aes67d.audio.basic.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.aes67d.api.audio.AudioBackend;
import org.aes67d.api.audio.AudioFormat;
import org.aes67d.api.audio.AudioInput;
import org.aes67d.api.audio.AudioOutput;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code file:/abs/path.wav}: a source plays the WAV (16/24/32-bit integer PCM, same channel count and rate as the
 * stream) in a loop; a sink records a 24-bit WAV. The session manager has already confined the path to
 * {@code media_dir}. A file that does not fit is refused with IllegalArgumentException (the driver answers 400).
 */
@Component(service = AudioBackend.class, property = AudioBackend.SCHEME + "=file",
        configurationPid = FileBackend.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FileBackend.Config.class)
public class FileBackend implements AudioBackend {
    static final String PID = "org.aes67d.audio.file";

    @ObjectClassDefinition(name = "aes67d audio: file", description = "WAV playback and recording (io file:...)")
    public @interface Config {
        @AttributeDefinition(description = "buffer between the disk thread and the audio thread, in ms")
        int ring_ms() default 500;

        @AttributeDefinition(description = "how often a recording's header sizes are rewritten, in ms")
        int header_interval_ms() default 1000;
    }

    private final Config config;

    @Activate
    public FileBackend(Config config) {
        this.config = config;
    }

    @Override
    public AudioInput openInput(String io, AudioFormat format) throws IOException {
        return new WavFileInput(path(io), format, Math.max(50, config.ring_ms()));
    }

    @Override
    public AudioOutput openOutput(String io, AudioFormat format) throws IOException {
        return new WavFileOutput(path(io), format, Math.max(50, config.ring_ms()),
                Math.max(100, config.header_interval_ms()));
    }

    static Path path(String io) {
        int colon = io.indexOf(':');
        Path p = Path.of(io.substring(colon + 1));
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("io path must be absolute (resolved inside media_dir): " + io);
        }
        return p;
    }
}
