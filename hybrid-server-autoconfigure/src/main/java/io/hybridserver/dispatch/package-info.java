/**
 * The dispatch tier: the bounded lock-free request queue between the I/O tier and the workers, the workers themselves
 * (platform threads, a few kept awake and the rest parked, or one virtual thread per exchange), and the per-event-loop
 * response queues that carry the workers' writes back. These are the only two places where work changes threads.
 */
package io.hybridserver.dispatch;
