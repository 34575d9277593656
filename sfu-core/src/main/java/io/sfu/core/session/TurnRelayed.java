package io.sfu.core.session;

/**
 * What the embedded TURN server relayed for one participant since its first allocation, for its stats and metrics.
 *
 * @param allocations     the participant's allocations now
 * @param bytesToSfu      bytes its clients relayed toward the SFU
 * @param bytesToClient   bytes the SFU relayed toward its clients
 * @param packetsToSfu    packets its clients relayed toward the SFU
 * @param packetsToClient packets the SFU relayed toward its clients
 */
public record TurnRelayed(int allocations, long bytesToSfu, long bytesToClient, long packetsToSfu,
                          long packetsToClient) {
}
