/**
 * How one request flows: from an {@link io.hybridserver.http.Exchange} through request listeners, mapping and the
 * filter chain to the servlet; forward and include dispatches; error pages; and completion, so that every exchange
 * ends with {@code complete()} or {@code abort()}.
 */
package io.hybridserver.servlet.handlers;
