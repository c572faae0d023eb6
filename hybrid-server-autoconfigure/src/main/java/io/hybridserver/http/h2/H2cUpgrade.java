package io.hybridserver.http.h2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpScheme;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;

import io.hybridserver.http.ProtocolNegotiation;

/**
 * {@code Upgrade: h2c} (RFC 7540 3.2; RFC 9113 dropped it, but Tomcat and curl's {@code --http2} still use it): a
 * clear-text HTTP/1.1 request without a body that names {@code h2c} in {@code Upgrade}, {@code Upgrade} and
 * {@code HTTP2-Settings} in {@code Connection}, and carries exactly one valid {@code HTTP2-Settings} field is answered
 * {@code 101 Switching Protocols}; the connection becomes HTTP/2 and the request becomes its stream 1, half-closed by
 * the client, answered over HTTP/2. Any other request is served as HTTP/1.1, as RFC 7540 3.2.1 asks (no upgrade
 * without exactly one settings field) and as Tomcat does.
 */
final class H2cUpgrade {

	private static final AsciiString H2C = AsciiString.cached("h2c");

	private static final AsciiString HTTP2_SETTINGS = AsciiString.cached("http2-settings");

	private static final Set<AsciiString> CONNECTION_SPECIFIC = Set.of(AsciiString.cached("connection"),
			AsciiString.cached("upgrade"), HTTP2_SETTINGS, AsciiString.cached("keep-alive"),
			AsciiString.cached("proxy-connection"), AsciiString.cached("transfer-encoding"), AsciiString.cached("te"));

	private static final byte[] SWITCHING = ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
			+ "Upgrade: h2c\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

	private H2cUpgrade() {
	}

	/**
	 * The client's settings from a request that asks for h2c properly, or {@code null} if it does not (then the
	 * request is served as HTTP/1.1).
	 */
	static Http2Settings clientSettings(HttpRequest request) {
		HttpHeaders headers = request.headers();
		if (!headers.containsValue(HttpHeaderNames.UPGRADE, H2C, true)
				|| !headers.containsValue(HttpHeaderNames.CONNECTION, HTTP2_SETTINGS, true)) {
			return null;
		}
		List<String> values = headers.getAll(HTTP2_SETTINGS);
		return (values.size() == 1) ? decode(values.get(0)) : null;
	}

	/**
	 * RFC 7540 3.2.1: the payload of a SETTINGS frame in base64url, padding optional; {@code null} if it is not
	 * that.
	 */
	static Http2Settings decode(String value) {
		byte[] payload;
		try {
			payload = Base64.getUrlDecoder().decode(value.trim());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (payload.length % 6 != 0) {
			return null;
		}
		Http2Settings settings = new Http2Settings();
		for (int i = 0; i < payload.length; i += 6) {
			char id = (char) (((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff));
			long setting = ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xffL) << 16)
					| ((payload[i + 4] & 0xffL) << 8) | (payload[i + 5] & 0xffL);
			try {
				settings.put(id, Long.valueOf(setting));
			}
			catch (IllegalArgumentException ex) {
				// A value out of its setting's range (RFC 9113 6.5.2): no upgrade.
				return null;
			}
		}
		return settings;
	}

	/**
	 * Answers {@code 101}, replaces the HTTP/1.1 handlers with {@code connection} (whose SETTINGS follow the 101 on
	 * the wire, as the server's connection preface) and hands it the request as stream 1. Bytes the HTTP/1.1 decoder
	 * still holds (the client's preface, if it came early) go to the new connection when the decoder leaves.
	 */
	static void switchProtocols(ChannelHandlerContext http1, HttpRequest request, Http2Settings clientSettings,
			H2Connection connection) {
		// Before the HTTP/2 handler is added: its first write, the SETTINGS frame, must follow the 101.
		http1.write(Unpooled.wrappedBuffer(SWITCHING));
		ChannelPipeline pipeline = http1.pipeline();
		pipeline.addAfter(http1.name(), "h2", connection);
		pipeline.remove(http1.handler());
		// Stream 1 before the decoder leaves: the decoder then hands on the bytes it holds, which may already be the
		// client's preface (the codec refuses the upgrade once it has read a preface).
		connection.upgraded(clientSettings, requestHead(request));
		for (String name : ProtocolNegotiation.HTTP1_HANDLERS) {
			if (pipeline.context(name) != null) {
				pipeline.remove(name);
			}
		}
	}

	/**
	 * The request head as HTTP/2 pseudo-header and header fields, without the fields that only concerned the HTTP/1.1
	 * connection (RFC 9113 8.2.2): those {@code Connection} names, and {@code Connection}, {@code Upgrade},
	 * {@code HTTP2-Settings}, {@code Keep-Alive}, {@code Proxy-Connection}, {@code Transfer-Encoding}, {@code TE}
	 * themselves. The target is kept as sent; {@code Host} stays as it came.
	 */
	static Http2Headers requestHead(HttpRequest request) {
		HttpHeaders fields = request.headers();
		Set<AsciiString> dropped = new HashSet<>(CONNECTION_SPECIFIC);
		for (String value : fields.getAll(HttpHeaderNames.CONNECTION)) {
			for (String token : value.split(",")) {
				dropped.add(AsciiString.of(token.trim().toLowerCase(Locale.ROOT)));
			}
		}
		Http2Headers head = new DefaultHttp2Headers(false).method(request.method().asciiName())
			.scheme(HttpScheme.HTTP.name())
			.path(request.uri());
		Iterator<Map.Entry<CharSequence, CharSequence>> iterator = fields.iteratorCharSequence();
		while (iterator.hasNext()) {
			Map.Entry<CharSequence, CharSequence> field = iterator.next();
			AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
			if (!dropped.contains(name)) {
				head.add(name, field.getValue());
			}
		}
		return head;
	}

}
