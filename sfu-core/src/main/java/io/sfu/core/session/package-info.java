/**
 * The control plane of the SFU: rooms, participants, their published tracks and subscriptions, and the seam to
 * the media engine.
 *
 * <p>Threading: everything in this package except the media seam's listener callbacks is confined to one
 * control thread. {@link io.sfu.core.session.ControlPlane} and the objects it hands out ({@link
 * io.sfu.core.session.Room}, {@link io.sfu.core.session.Participant}) must only be used from that thread, which is
 * why they carry no locks. The media engine reports from its own threads; those reports, and the completion of the
 * stages it returns, are hopped onto the control thread through the {@link java.util.concurrent.Executor} given to
 * the control plane before they touch any state. {@link io.sfu.core.session.Track} and the other records are
 * immutable and safe to pass between threads.
 *
 * <p>Dependencies point one way: this package may use the protocol and forwarding packages, never a web framework
 * (an architecture test enforces it).
 */
package io.sfu.core.session;
