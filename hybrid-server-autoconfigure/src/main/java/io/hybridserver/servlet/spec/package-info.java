/**
 * What the application sees: the Jakarta Servlet facades ({@code ServletContext}, {@code HttpServletRequest},
 * {@code HttpServletResponse}, {@code SessionCookieConfig}) and the small single-purpose parsers and writers behind
 * them (parameters, cookies, dates, locales, content types, the response buffer).
 *
 * <p>Facades hold no connection state: the request and response reach the wire only through
 * {@link io.hybridserver.http.Exchange}.
 */
package io.hybridserver.servlet.spec;
