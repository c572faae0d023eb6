/**
 * The container's engine room: what was registered (servlets, filters, listeners), how a path finds its servlet and
 * its filter chain, which error page answers a failure, and how a raw request-target becomes a safe path.
 *
 * <p>Types here are public only so that the sibling packages can use them; they are not an API for applications.
 */
package io.hybridserver.servlet.core;
