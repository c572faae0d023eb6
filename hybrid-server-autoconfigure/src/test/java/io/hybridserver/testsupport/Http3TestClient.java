package io.hybridserver.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.X509TrustManager;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * A real HTTP/3 client for tests, on Netty's own QUIC and HTTP/3 codecs: one QUIC connection to the server (trusting
 * the test CA, Retry handled as any client does), requests on as many streams as wanted, each answer collected whole
 * (status, fields, body, trailers) and its DATA frames also handed out one by one, so that a test can see a response
 * arrive in parts.
 */
public final class Http3TestClient implements AutoCloseable {

	/**
	 * How long a test waits for a connection, a stream or an answer: generous, since the tests are about what the
	 * server answers, not how fast. On the shared 2-core machine under load, a cold JVM's first requests took 28 s (JDK
	 * 25, the first test of Http3ReactiveApplicationTest) and one passed the 30 s this client allowed.
	 */
	public static final long TIMEOUT_SECONDS = 120;

	private final EventLoopGroup group;

	private final Channel datagram;

	private final QuicChannel quic;

	private Http3TestClient(EventLoopGroup group, Channel datagram, QuicChannel quic) {
		this.group = group;
		this.datagram = datagram;
		this.quic = quic;
	}

	/** Connects to {@code localhost:port} over UDP. */
	public static Http3TestClient connect(int port) throws Exception {
		return connect(port, "localhost");
	}

	/**
	 * Connects to port {@code port} of the loopback address, naming {@code serverName} in SNI (and checking the
	 * server's certificate against it), or sending no server name when it is {@code null}.
	 */
	public static Http3TestClient connect(int port, String serverName) throws Exception {
		return connect(port, serverName, null);
	}

	/**
	 * As {@link #connect(int, String)}, with the server's certificate judged by {@code trust} instead of checked
	 * against the test CA (and {@code serverName}) when it is not {@code null}.
	 */
	public static Http3TestClient connect(int port, String serverName, X509TrustManager trust) throws Exception {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		try {
			QuicSslContextBuilder builder = QuicSslContextBuilder.forClient();
			if (trust != null) {
				builder.trustManager(trust);
			}
			else {
				builder.trustManager(testCa());
			}
			QuicSslContext ssl = builder
				.applicationProtocols(Http3.supportedApplicationProtocols())
				.build();
			// The engine names the server, so that its certificate is checked against that name (SNI and hostname).
			ChannelHandler codec = Http3.newQuicClientCodecBuilder()
				.sslEngineProvider((channel) -> (serverName != null) ? ssl.newEngine(channel.alloc(), serverName, port)
						: ssl.newEngine(channel.alloc()))
				.maxIdleTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
				.initialMaxData(16 * 1024 * 1024)
				.initialMaxStreamDataBidirectionalLocal(1024 * 1024)
				.build();
			Channel datagram = new Bootstrap().group(group)
				.channel(NioDatagramChannel.class)
				.handler(codec)
				.bind(0)
				.sync()
				.channel();
			QuicChannel quic = QuicChannel.newBootstrap(datagram)
				.handler(new Http3ClientConnectionHandler())
				.remoteAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
				.connect()
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			return new Http3TestClient(group, datagram, quic);
		}
		catch (Exception ex) {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw ex;
		}
	}

	private static X509Certificate testCa() throws Exception {
		try (InputStream in = Http3TestClient.class.getResourceAsStream("/tls/ca.pem")) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

	/** The QUIC connection, for what a test checks of it (open streams allowed, closed by the server). */
	public QuicChannel quic() {
		return this.quic;
	}

	public Response get(String path) throws Exception {
		return send("GET", path, Map.of(), null).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
	}

	/** Sends a request on a new stream; a {@code null} body sends none (the stream ends after the head). */
	public CompletableFuture<Response> send(String method, String path, Map<String, String> fields, byte[] body)
			throws Exception {
		return start(method, path, fields, body).done();
	}

	/** As {@link #send}, returning the response at once, so that its parts can be read as they arrive. */
	public Response start(String method, String path, Map<String, String> fields, byte[] body) throws Exception {
		Response response = new Response();
		QuicStreamChannel stream = Http3.newRequestStream(this.quic, response).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Http3Headers head = new DefaultHttp3Headers().method(method).path(path).authority("localhost").scheme("https");
		fields.forEach(head::add);
		if (body == null) {
			stream.writeAndFlush(new DefaultHttp3HeadersFrame(head)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
		}
		else {
			stream.write(new DefaultHttp3HeadersFrame(head));
			int chunk = 16 * 1024;
			for (int offset = 0; offset < body.length; offset += chunk) {
				stream.write(new DefaultHttp3DataFrame(
						Unpooled.wrappedBuffer(body, offset, Math.min(chunk, body.length - offset))));
			}
			stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.EMPTY_BUFFER))
				.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
		}
		return response;
	}

	/**
	 * Opens a request stream and sends only the head, leaving the request open: the server has the stream until the
	 * client ends it. Fails if the server's stream limit allows no more.
	 */
	public QuicStreamChannel openHanging(String path, Response response) throws Exception {
		QuicStreamChannel stream = Http3.newRequestStream(this.quic, response).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Http3Headers head = new DefaultHttp3Headers().method("POST").path(path).authority("localhost").scheme("https");
		stream.writeAndFlush(new DefaultHttp3HeadersFrame(head)).sync();
		return stream;
	}

	/**
	 * Opens a request stream and puts {@code first} closest to the socket in its pipeline, so that it sees the bytes
	 * the HTTP/3 codec writes (to hold them back, or send them in pieces). The test writes the frames and ends the
	 * stream itself.
	 */
	public QuicStreamChannel openStream(Response response, ChannelHandler first) throws Exception {
		QuicStreamChannel stream = Http3.newRequestStream(this.quic, response).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		stream.pipeline().addFirst(first);
		return stream;
	}

	@Override
	public void close() {
		try {
			this.quic.close().await(5, TimeUnit.SECONDS);
			this.datagram.close().await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		}
	}

	/** One response, collected on the client's loop. */
	public static final class Response extends Http3RequestStreamInboundHandler {

		private final CompletableFuture<Response> done = new CompletableFuture<>();

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private final BlockingQueue<String> parts = new LinkedBlockingQueue<>();

		private final Map<String, String> fields = new LinkedHashMap<>();

		private final Map<String, String> trailers = new LinkedHashMap<>();

		private volatile int status;

		private boolean headSeen;

		@Override
		protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
			Http3Headers headers = frame.headers();
			if (!this.headSeen) {
				int code = Integer.parseInt(headers.status().toString());
				if (code >= 200) {
					this.headSeen = true;
					this.status = code;
					headers.forEach((field) -> this.fields.put(field.getKey().toString(), field.getValue().toString()));
				}
			}
			else {
				headers.forEach((field) -> this.trailers.put(field.getKey().toString(), field.getValue().toString()));
			}
			ReferenceCountUtil.release(frame);
		}

		@Override
		protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
			byte[] bytes = new byte[frame.content().readableBytes()];
			frame.content().readBytes(bytes);
			this.body.write(bytes, 0, bytes.length);
			if (bytes.length > 0) {
				this.parts.add(new String(bytes, StandardCharsets.UTF_8));
			}
			frame.release();
		}

		@Override
		protected void channelInputClosed(ChannelHandlerContext ctx) {
			this.done.complete(this);
			ctx.close();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			if (!this.done.isDone()) {
				this.done.completeExceptionally(new IllegalStateException("The stream closed before the response ended"));
			}
			super.channelInactive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.done.completeExceptionally(cause);
			ctx.close();
		}

		public CompletableFuture<Response> done() {
			return this.done;
		}

		/** The next DATA frame's text as it arrives, or {@code null} after the timeout. */
		public String nextPart(long timeout, TimeUnit unit) throws InterruptedException {
			return this.parts.poll(timeout, unit);
		}

		public int status() {
			return this.status;
		}

		/** A response field by its lower-case name. */
		public String field(String name) {
			return this.fields.get(name);
		}

		public Map<String, String> trailers() {
			return this.trailers;
		}

		public byte[] bytes() {
			return this.body.toByteArray();
		}

		public String text() {
			return this.body.toString(StandardCharsets.UTF_8);
		}

	}

}
