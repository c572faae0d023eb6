package io.hybridserver.http;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * When responses are gzip-compressed ({@code server.compression.*}): which media types, from which size, not for
 * which user agents. {@link #wrap} decorates an {@link Exchange} so that whoever writes the response (the servlet
 * container, the reactive adapter) compresses without knowing it. Compression runs on the thread that writes, a
 * worker, never an event loop.
 *
 * <p>A response is compressed when the client accepts gzip, the status has a body
 * and is not a partial (206) one, the application did not set a {@code Content-Encoding} of its own, its media type is
 * listed ({@code type/*} matches a whole type), and its length is unknown (streaming) or at least the minimum. A
 * response of a listed media type carries {@code Vary: Accept-Encoding} whether or not it is compressed, and a
 * {@code HEAD} answer the same {@code Content-Encoding} as the {@code GET}, as on Tomcat.
 */
public final class ResponseCompression {

	private final List<String> mimeTypes;

	private final long minResponseSize;

	private final List<Pattern> excludedUserAgents;

	/**
	 * @param mimeTypes media types to compress, without parameters
	 * @param minResponseSize smallest known body length worth compressing, in bytes
	 * @param excludedUserAgents regular expressions; a matching {@code User-Agent} gets no compression
	 */
	public ResponseCompression(List<String> mimeTypes, long minResponseSize, List<String> excludedUserAgents) {
		this.mimeTypes = mimeTypes.stream().map((type) -> type.trim().toLowerCase(Locale.ROOT)).toList();
		this.minResponseSize = minResponseSize;
		this.excludedUserAgents = excludedUserAgents.stream().map(Pattern::compile).toList();
	}

	/**
	 * A view of the exchange that compresses when the response qualifies and the client takes gzip; for a client that
	 * does not it only adds {@code Vary: Accept-Encoding}, and for {@code HEAD} it gives the headers {@code GET} would.
	 */
	public Exchange wrap(Exchange exchange) {
		GzipExchange.Mode mode = !clientTakesGzip(exchange) ? GzipExchange.Mode.IDENTITY
				: "HEAD".equals(exchange.method()) ? GzipExchange.Mode.HEAD : GzipExchange.Mode.COMPRESS;
		return (exchange instanceof ByteBufExchange buffers) ? new GzipByteBufExchange(buffers, this, mode)
				: new GzipExchange(exchange, this, mode);
	}

	private boolean clientTakesGzip(Exchange exchange) {
		if (!acceptsGzip(exchange.requestHeaders().getAll("Accept-Encoding"))) {
			return false;
		}
		String userAgent = exchange.requestHeaders().get("User-Agent");
		if (userAgent != null) {
			for (Pattern excluded : this.excludedUserAgents) {
				if (excluded.matcher(userAgent).matches()) {
					return false;
				}
			}
		}
		return true;
	}

	/** Whether the response, as it is about to be committed, should be compressed. */
	boolean shouldCompress(int status, long contentLength, HttpFields headers) {
		if (status < 200 || status == 204 || status == 206 || status == 304 || headers.contains("Content-Encoding")) {
			return false;
		}
		if (contentLength >= 0 && contentLength < this.minResponseSize) {
			return false;
		}
		return isCompressible(headers.get("Content-Type"));
	}

	boolean isCompressible(String contentType) {
		if (contentType == null) {
			return false;
		}
		int semicolon = contentType.indexOf(';');
		String type = ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).trim()
			.toLowerCase(Locale.ROOT);
		for (String candidate : this.mimeTypes) {
			if (candidate.equals(type) || (candidate.endsWith("/*")
					&& type.startsWith(candidate.substring(0, candidate.length() - 1)))) {
				return true;
			}
		}
		return false;
	}

	/** RFC 9110 12.5.3: gzip (or {@code *}) with a non-zero quality, and gzip not refused explicitly. */
	static boolean acceptsGzip(List<String> acceptEncoding) {
		Boolean gzip = null;
		boolean star = false;
		for (String header : acceptEncoding) {
			for (String element : header.split(",")) {
				String[] parts = element.split(";");
				String coding = parts[0].trim().toLowerCase(Locale.ROOT);
				boolean allowed = true;
				for (int i = 1; i < parts.length; i++) {
					String param = parts[i].trim();
					if (param.startsWith("q=") || param.startsWith("Q=")) {
						try {
							allowed = Double.parseDouble(param.substring(2).trim()) > 0;
						}
						catch (NumberFormatException ex) {
							allowed = false;
						}
					}
				}
				if (coding.equals("gzip") || coding.equals("x-gzip")) {
					gzip = allowed;
				}
				else if (coding.equals("*")) {
					star = allowed;
				}
			}
		}
		return (gzip != null) ? gzip : star;
	}

}
