package io.sfu.core.session;

/**
 * Creates the {@link MediaEngine} the process runs with. The process looks implementations up with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.sfu.core.session.MediaEngineFactory} entry), so a
 * media engine plugs in without the signaling knowing its classes.
 */
public interface MediaEngineFactory {

    /** A short name for logs, e.g. {@code "udp"}. */
    String name();

    /** Binds the media socket and starts the engine; a failure stops the process at start. */
    MediaEngine create(MediaEngineConfig config) throws Exception;
}
