package org.aes67d.audio.alsa.internal;

/** An alsa-lib call failed; the message names the call, the PCM and alsa-lib's text for the error. */
final class AlsaException extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    AlsaException(String message, int code) {
        super(message);
        this.code = code;
    }

    static AlsaException of(String call, String pcm, int err) {
        return new AlsaException(call + " on \"" + pcm + "\": " + AlsaLib.snd_strerror(err) + " (" + err + ")", err);
    }
}
