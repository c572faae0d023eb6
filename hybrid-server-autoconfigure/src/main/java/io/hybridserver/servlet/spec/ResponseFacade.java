package io.hybridserver.servlet.spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpDates;
import io.hybridserver.http.HttpFields;
import io.hybridserver.servlet.core.WebApplication;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application's {@link HttpServletResponse}. Headers live in {@link Exchange#responseHeaders()} except
 * {@code Content-Type} and {@code Content-Length}, which are kept as typed state (charset rules, commit rules) and
 * written into the head at commit. Body bytes go through {@link ResponseOutput}, which owns the commit rules.
 */
public final class ResponseFacade implements HttpServletResponse, ResponseOutput.CommitCallback {

	private final Exchange exchange;

	private final WebApplication application;

	private final ResponseOutput output;

	private RequestFacade request;

	private int status = SC_OK;

	private String contentType;

	private String charset;

	private boolean charsetExplicit;

	private Locale locale;

	private long contentLength = -1;

	private ResponseOutputStream outputStream;

	private ResponseWriter writer;

	private PrintWriter printWriter;

	private boolean errorSent;

	private String errorMessage;

	private Supplier<Map<String, String>> trailerFields;

	public ResponseFacade(Exchange exchange, WebApplication application) {
		this.exchange = exchange;
		this.application = application;
		this.output = new ResponseOutput(exchange, this);
	}

	void request(RequestFacade request) {
		this.request = request;
	}

	// ---- container side -------------------------------------------------------------------------------------

	/** Whether {@code sendError} was called and its error page has not been dispatched yet. */
	public boolean isErrorSent() {
		return this.errorSent;
	}

	public String errorMessage() {
		return this.errorMessage;
	}

	/**
	 * Readies the response for an error page: clears the buffer and the sendError mark and forgets which of writer or
	 * stream was used (the error page may use either), keeping headers, as Tomcat does.
	 */
	public void prepareForErrorPage(int errorStatus) {
		this.output.resetBuffer();
		resetBodyState();
		this.errorSent = false;
		this.status = errorStatus;
		this.contentLength = -1;
	}

	/** Sends everything, committing with the exact length when it is known. The exchange is completed by the caller. */
	public void finish() throws IOException {
		// No writer flush here, which would commit streaming: the writer's held characters go into the buffer, and
		// closing the output then commits with the exact length when everything fitted.
		if (this.writer != null) {
			this.writer.finish();
		}
		this.output.finish();
	}

	/** Answers with a minimal plain-text body: used when there is no error page or the page failed. */
	public void writeMinimalError(int errorStatus, String reason) throws IOException {
		prepareForErrorPage(errorStatus);
		this.contentType = "text/plain";
		this.charset = "UTF-8";
		this.charsetExplicit = true;
		byte[] body = (errorStatus + " " + reason + "\n").getBytes(StandardCharsets.UTF_8);
		this.contentLength = body.length;
		this.output.write(body, 0, body.length);
		this.output.finish();
	}

	@Override
	public int beforeCommit() {
		HttpFields headers = this.exchange.responseHeaders();
		String type = getContentType();
		if (type != null) {
			headers.set("Content-Type", type);
		}
		if (this.locale != null && !headers.contains("Content-Language")) {
			headers.set("Content-Language", this.locale.toLanguageTag());
		}
		headers.remove("Content-Length");
		return this.status;
	}

	@Override
	public long declaredContentLength() {
		return this.contentLength;
	}

	// ---- cookies, status, redirects ------------------------------------------------------------------------------

	@Override
	public void addCookie(Cookie cookie) {
		if (isCommitted()) {
			return;
		}
		if (cookie.getAttribute("SameSite") == null && !isSessionCookieWithoutSameSite(cookie)) {
			String sameSite = this.application.deployment().getCookieSameSite().apply(cookie);
			if (sameSite != null) {
				cookie = (Cookie) cookie.clone();
				cookie.setAttribute("SameSite", sameSite);
			}
		}
		this.exchange.responseHeaders().add("Set-Cookie", SetCookieFormatter.format(cookie));
	}

	private boolean isSessionCookieWithoutSameSite(Cookie cookie) {
		return this.application.deployment().isSessionCookieSameSiteOmitted()
				&& cookie.getName().equals(this.application.sessionCookieConfig().getName());
	}

	/** With URL session tracking, the session id as {@code ;jsessionid=}; otherwise the URL unchanged. */
	@Override
	public String encodeURL(String url) {
		return (this.request != null) ? this.request.encodeUrl(url) : url;
	}

	@Override
	public String encodeRedirectURL(String url) {
		return encodeURL(url);
	}

	@Override
	public void sendError(int sc, String msg) throws IOException {
		if (isCommitted()) {
			throw new IllegalStateException("Cannot send an error: the response is committed");
		}
		resetBuffer();
		this.status = sc;
		this.errorSent = true;
		this.errorMessage = msg;
		// Until the error page runs, whatever the application still writes is discarded.
		this.output.suspend();
	}

	@Override
	public void sendError(int sc) throws IOException {
		sendError(sc, null);
	}

	@Override
	public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
		if (isCommitted()) {
			throw new IllegalStateException("Cannot redirect: the response is committed");
		}
		if (location == null) {
			throw new IllegalArgumentException("Redirect location must not be null");
		}
		if (clearBuffer) {
			resetBuffer();
		}
		else if (this.writer != null) {
			// What was written stays and goes out after the redirect's head; suspending drops only later writes.
			this.writer.spill();
		}
		this.status = sc;
		this.exchange.responseHeaders().set("Location", RedirectLocations.absolute(this.request, location));
		// The spec: the response is to be considered committed; later output is ignored.
		this.output.suspend();
	}

	@Override
	public void setStatus(int sc) {
		if (!isCommitted()) {
			this.status = sc;
		}
	}

	@Override
	public int getStatus() {
		return this.status;
	}

	// ---- headers ------------------------------------------------------------------------------------------------

	@Override
	public boolean containsHeader(String name) {
		if (name.equalsIgnoreCase("Content-Type")) {
			return this.contentType != null;
		}
		if (name.equalsIgnoreCase("Content-Length")) {
			return this.contentLength >= 0;
		}
		return this.exchange.responseHeaders().contains(name);
	}

	@Override
	public void setHeader(String name, String value) {
		if (name == null || isCommitted()) {
			return;
		}
		if (special(name, value)) {
			return;
		}
		if (value == null) {
			this.exchange.responseHeaders().remove(name);
		}
		else {
			this.exchange.responseHeaders().set(name, value);
		}
	}

	@Override
	public void addHeader(String name, String value) {
		if (name == null || value == null || isCommitted()) {
			return;
		}
		if (!special(name, value)) {
			this.exchange.responseHeaders().add(name, value);
		}
	}

	/** Content-Type and Content-Length are typed state; {@code true} when the name was one of them. */
	private boolean special(String name, String value) {
		if (name.equalsIgnoreCase("Content-Type")) {
			if (value == null) {
				this.contentType = null;
				if (!this.charsetExplicit) {
					this.charset = null;
				}
			}
			else {
				setContentType(value);
			}
			return true;
		}
		if (name.equalsIgnoreCase("Content-Length")) {
			if (value == null) {
				this.contentLength = -1;
			}
			else {
				try {
					setContentLengthLong(Long.parseLong(value.trim()));
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException("Invalid Content-Length: " + value);
				}
			}
			return true;
		}
		return false;
	}

	@Override
	public void setDateHeader(String name, long date) {
		setHeader(name, HttpDates.format(date));
	}

	@Override
	public void addDateHeader(String name, long date) {
		addHeader(name, HttpDates.format(date));
	}

	@Override
	public void setIntHeader(String name, int value) {
		setHeader(name, Integer.toString(value));
	}

	@Override
	public void addIntHeader(String name, int value) {
		addHeader(name, Integer.toString(value));
	}

	@Override
	public String getHeader(String name) {
		if (name.equalsIgnoreCase("Content-Type")) {
			return getContentType();
		}
		if (name.equalsIgnoreCase("Content-Length")) {
			return (this.contentLength >= 0) ? Long.toString(this.contentLength) : null;
		}
		return this.exchange.responseHeaders().get(name);
	}

	@Override
	public Collection<String> getHeaders(String name) {
		String special = (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length"))
				? getHeader(name) : null;
		if (special != null) {
			return List.of(special);
		}
		return new ArrayList<>(this.exchange.responseHeaders().getAll(name));
	}

	@Override
	public Collection<String> getHeaderNames() {
		LinkedHashSet<String> names = new LinkedHashSet<>(this.exchange.responseHeaders().names());
		if (this.contentType != null) {
			names.add("Content-Type");
		}
		if (this.contentLength >= 0) {
			names.add("Content-Length");
		}
		return names;
	}

	/**
	 * Sent after the body: as HTTP/2's last HEADERS frame, or as HTTP/1.1's trailer section, for which the response is
	 * then chunked even when its length is known (as Tomcat does). Refused, as the spec says, once committed, and
	 * where the protocol cannot carry them (HTTP/1.0, a HEAD request).
	 */
	@Override
	public void setTrailerFields(Supplier<Map<String, String>> supplier) {
		if (isCommitted()) {
			throw new IllegalStateException("Cannot set trailer fields: the response is committed");
		}
		if (!this.exchange.supportsResponseTrailers()) {
			throw new IllegalStateException("Cannot set trailer fields: " + this.exchange.protocol()
					+ " cannot carry them for this request");
		}
		this.exchange.responseTrailers(supplier);
		this.trailerFields = supplier;
	}

	@Override
	public Supplier<Map<String, String>> getTrailerFields() {
		return this.trailerFields;
	}

	// ---- content type, charset, locale ---------------------------------------------------------------------------

	@Override
	public String getCharacterEncoding() {
		String known = knownCharset();
		return (known != null) ? known : StandardCharsets.ISO_8859_1.name();
	}

	/** The charset to announce, or {@code null} when nobody chose one and no writer forced one. */
	private String knownCharset() {
		if (this.charset != null) {
			return this.charset;
		}
		return this.application.responseCharacterEncoding();
	}

	@Override
	public String getContentType() {
		if (this.contentType == null) {
			return null;
		}
		String known = knownCharset();
		if (known == null && this.writer != null) {
			known = getCharacterEncoding();
		}
		return (known != null) ? ResponseContentTypes.withCharset(this.contentType, known) : this.contentType;
	}

	@Override
	public void setContentType(String type) {
		if (isCommitted()) {
			return;
		}
		if (type == null) {
			this.contentType = null;
			return;
		}
		String declared = null;
		if (type.indexOf(';') < 0) {
			// Set on almost every response: no parameters, nothing to parse.
			this.contentType = type.trim();
		}
		else {
			ResponseContentTypes.Declared parsed = ResponseContentTypes.declared(type);
			this.contentType = parsed.withoutCharset();
			declared = parsed.charset();
		}
		// Once a writer exists its charset is fixed (spec 5.5); otherwise a charset parameter counts as explicit.
		if (declared != null && this.writer == null) {
			this.charset = declared;
			this.charsetExplicit = true;
		}
	}

	@Override
	public void setCharacterEncoding(String encoding) {
		if (isCommitted() || this.writer != null) {
			return;
		}
		if (encoding == null) {
			this.charset = null;
			this.charsetExplicit = false;
			return;
		}
		this.charset = encoding;
		this.charsetExplicit = true;
	}

	@Override
	public void setLocale(Locale loc) {
		if (isCommitted() || loc == null) {
			return;
		}
		this.locale = loc;
		Map<Locale, Charset> mappings = this.application.deployment().getLocaleCharsetMappings();
		// Spring MVC sets the locale on every response it renders, a redirect included; with no mappings configured
		// (the default) there is nothing to look up, and parsing the language tag cost more than the rest of the call.
		if (!this.charsetExplicit && this.writer == null && !mappings.isEmpty()) {
			Charset mapped = mappings.get(loc);
			if (mapped == null) {
				mapped = mappings.get(Locale.forLanguageTag(loc.getLanguage()));
			}
			if (mapped != null) {
				this.charset = mapped.name();
			}
		}
	}

	@Override
	public Locale getLocale() {
		return (this.locale != null) ? this.locale : Locale.getDefault();
	}

	@Override
	public void setContentLength(int len) {
		setContentLengthLong(len);
	}

	@Override
	public void setContentLengthLong(long len) {
		if (!isCommitted()) {
			this.contentLength = (len < 0) ? -1 : len;
		}
	}

	// ---- body ---------------------------------------------------------------------------------------------------

	@Override
	public ServletOutputStream getOutputStream() {
		if (this.writer != null) {
			throw new IllegalStateException("getWriter() has already been called for this response");
		}
		if (this.outputStream == null) {
			this.outputStream = new ResponseOutputStream(this.output, this.request);
		}
		return this.outputStream;
	}

	@Override
	public PrintWriter getWriter() throws UnsupportedEncodingException {
		if (this.outputStream != null) {
			throw new IllegalStateException("getOutputStream() has already been called for this response");
		}
		if (this.printWriter == null) {
			String encoding = getCharacterEncoding();
			Charset cs;
			try {
				cs = KnownCharsets.forName(encoding);
			}
			catch (IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException ex) {
				throw new UnsupportedEncodingException(encoding);
			}
			// From now on the charset is fixed and must appear in Content-Type.
			this.charset = encoding;
			this.writer = new ResponseWriter(this.output, cs);
			this.printWriter = new PrintWriter(this.writer, false);
		}
		return this.printWriter;
	}

	@Override
	public void setBufferSize(int size) {
		this.output.bufferSize(size);
	}

	@Override
	public int getBufferSize() {
		return this.output.bufferSize();
	}

	@Override
	public void flushBuffer() throws IOException {
		if (this.printWriter != null) {
			this.printWriter.flush();
		}
		else {
			this.output.flush();
		}
	}

	@Override
	public void resetBuffer() {
		this.output.resetBuffer();
		if (this.writer != null) {
			this.writer.reset();
		}
	}

	@Override
	public boolean isCommitted() {
		return this.exchange.isCommitted();
	}

	@Override
	public void reset() {
		resetBuffer();
		this.exchange.responseHeaders().clear();
		this.status = SC_OK;
		this.contentType = null;
		this.charset = null;
		this.charsetExplicit = false;
		this.locale = null;
		this.contentLength = -1;
		this.errorSent = false;
		this.errorMessage = null;
		resetBodyState();
	}

	private void resetBodyState() {
		if (this.writer != null && !this.charsetExplicit) {
			this.charset = null;
		}
		this.outputStream = null;
		if (this.writer != null) {
			this.writer.release();
		}
		this.writer = null;
		this.printWriter = null;
	}

}
