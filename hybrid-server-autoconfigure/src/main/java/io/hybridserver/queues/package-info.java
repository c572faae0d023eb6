/**
 * The lock-free queues the tiers hand work through, JCTools' in the variant this JVM runs without a warning. The
 * lowest layer beside {@code transport}: it knows nothing of the server, so that both the dispatch tier and the access
 * log may use it without either depending on the other.
 */
package io.hybridserver.queues;
