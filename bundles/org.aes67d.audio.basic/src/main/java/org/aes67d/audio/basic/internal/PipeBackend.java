package org.aes67d.audio.basic.internal;

import java.io.IOException;

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
 * {@code pipe:/abs/path}: raw interleaved little-endian PCM through a FIFO (created if missing), in either
 * direction. The sample format comes from the file name: {@code *.s16} S16_LE, {@code *.s24} S24_3LE, anything
 * else S32_LE; the channel count is the stream's map size and the rate the stream's rate.
 */
@Component(service = AudioBackend.class, property = AudioBackend.SCHEME + "=pipe",
        configurationPid = PipeBackend.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PipeBackend.Config.class)
public class PipeBackend implements AudioBackend {
    static final String PID = "org.aes67d.audio.pipe";

    @ObjectClassDefinition(name = "aes67d audio: pipe", description = "raw PCM through FIFOs (io pipe:...)")
    public @interface Config {
        @AttributeDefinition(description = "buffer between the FIFO thread and the audio thread, in ms")
        int ring_ms() default 200;
    }

    private final Config config;

    @Activate
    public PipeBackend(Config config) {
        this.config = config;
    }

    @Override
    public AudioInput openInput(String io, AudioFormat format) throws IOException {
        return new PipeInput(FileBackend.path(io), format, Math.max(20, config.ring_ms()));
    }

    @Override
    public AudioOutput openOutput(String io, AudioFormat format) throws IOException {
        return new PipeOutput(FileBackend.path(io), format, Math.max(20, config.ring_ms()));
    }
}
