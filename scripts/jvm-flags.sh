# Sourced by scripts/bench and scripts/soak: the flags every JVM that loads the project needs. Agrona reads
# jdk.internal.misc, and AES-GCM uses the JDK's GHASH intrinsic through com.sun.crypto.provider (without it GCM falls
# back to a slower portable GHASH).
# shellcheck disable=SC2034 # used by the scripts that source this file
jvm_flags=(--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED)
