package io.sfu.signaling.config;

/** A configuration value or flag the server cannot start with; the message names the setting and the value. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
