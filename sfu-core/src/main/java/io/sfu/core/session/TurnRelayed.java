package io.sfu.core.session;

/**
 * What the embedded TURN server relayed for one participant's current allocations, for its stats.
 *
 * @param allocations   the participant's allocations now
 * @param bytesToSfu    bytes its clients relayed toward the SFU
 * @param bytesToClient bytes the SFU relayed toward its clients
 */
public record TurnRelayed(int allocations, long bytesToSfu, long bytesToClient) {
}
