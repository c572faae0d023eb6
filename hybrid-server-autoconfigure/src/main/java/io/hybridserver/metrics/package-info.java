/**
 * Micrometer meters of the hybrid server ({@code hybrid.server.*}), read from the engine's own counters so that the
 * request path never touches a meter registry.
 */
package io.hybridserver.metrics;
