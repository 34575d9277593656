package io.sfu.bench;

/**
 * The flags every JVM that runs the project's code needs, for JMH forks ({@code @Fork(jvmArgsAppend = ...)}) and
 * child JVMs: Agrona reads {@code jdk.internal.misc}, and AES-GCM uses the JDK's GHASH intrinsic through
 * {@code com.sun.crypto.provider} (without it GCM falls back to a slower portable GHASH).
 */
public final class JvmFlags {
    public static final String AGRONA = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String GHASH = "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED";

    private JvmFlags() {
    }
}
