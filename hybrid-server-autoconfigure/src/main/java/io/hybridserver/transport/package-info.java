/**
 * The lowest layer of the I/O tier: which native transport runs the event loops (epoll, io_uring, kqueue or NIO), the
 * loop groups themselves, and the listening socket with its options and connection limit. Knows nothing of HTTP.
 */
package io.hybridserver.transport;
