package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import io.hybridserver.http.HttpServerConfig;

/**
 * The cost of decoding one request: our {@link Http1RequestDecoder} against Netty's {@link HttpRequestDecoder} with the
 * settings the server used before it (strict line parsing, RFC 9112 Transfer-Encoding, no duplicate Content-Length),
 * on a typical browser GET (16 header lines, 751 bytes) and a small JSON POST (226 bytes). Each operation hands the decoder one
 * request in one buffer, as a read from a keep-alive connection does, and drops what it emits (released, consumed by
 * a {@link Blackhole}). Lives in the decoder's package because the decoder is package-private; bench/run.sh does not
 * run it (its pattern is the hand-off benchmarks): run it alone, see bench/README.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Http1DecoderBenchmark {

	static final String BROWSER_GET = "GET /products/42?ref=home&utm_source=newsletter HTTP/1.1\r\n"
			+ "Host: shop.example.com\r\n"
			+ "Connection: keep-alive\r\n"
			+ "sec-ch-ua: \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"\r\n"
			+ "sec-ch-ua-mobile: ?0\r\n"
			+ "sec-ch-ua-platform: \"Linux\"\r\n"
			+ "Upgrade-Insecure-Requests: 1\r\n"
			+ "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\r\n"
			+ "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
			+ "Sec-Fetch-Site: same-origin\r\n"
			+ "Sec-Fetch-Mode: navigate\r\n"
			+ "Sec-Fetch-User: ?1\r\n"
			+ "Sec-Fetch-Dest: document\r\n"
			+ "Referer: https://shop.example.com/\r\n"
			+ "Accept-Encoding: gzip, deflate, br, zstd\r\n"
			+ "Accept-Language: en-GB,en;q=0.9,de;q=0.8\r\n"
			+ "Cookie: SESSION=YzQ2ZjM0ZTItOGE2Ni00ZDk0LWI1ZTMtNzg5ZWRmYjQ1NjEy; theme=dark\r\n"
			+ "\r\n";

	static final String SMALL_POST = "POST /api/orders HTTP/1.1\r\n"
			+ "Host: api.example.com\r\n"
			+ "Content-Type: application/json\r\n"
			+ "Accept: application/json\r\n"
			+ "User-Agent: Java-http-client/21\r\n"
			+ "Content-Length: 64\r\n"
			+ "\r\n"
			+ "{\"item\":\"book-42\",\"quantity\":2,\"customer\":\"c-1234\",\"express\":1}";

	@Param({ "hybrid", "netty" })
	public String decoder;

	@Param({ "browser-get", "small-post" })
	public String request;

	private EmbeddedChannel channel;

	private ByteBuf input;

	private Sink sink;

	@Setup(Level.Trial)
	public void setUp(Blackhole blackhole) {
		String text = this.request.equals("browser-get") ? BROWSER_GET : SMALL_POST;
		byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
		this.input = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
		ChannelHandler handler = this.decoder.equals("hybrid") ? new Http1RequestDecoder(new HttpServerConfig())
				: new HttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(8192)
					.setMaxHeaderSize(8192)
					.setMaxChunkSize(8192)
					.setStrictLineParsing(true)
					.setUseRfc9112TransferEncoding(true)
					.setAllowDuplicateContentLengths(false));
		this.sink = new Sink(blackhole);
		this.channel = new EmbeddedChannel(handler, this.sink);
		decode();
		if (this.sink.requests != 1) {
			throw new IllegalStateException("The request did not decode: " + this.request + " with " + this.decoder);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.channel.finishAndReleaseAll();
		this.input.release();
	}

	@Benchmark
	public void decode() {
		this.channel.pipeline().fireChannelRead(this.input.retainedDuplicate());
		this.channel.pipeline().fireChannelReadComplete();
	}

	/** Consumes and releases what the decoder emits. */
	private static final class Sink extends ChannelInboundHandlerAdapter {

		private final Blackhole blackhole;

		int requests;

		Sink(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpRequest request) {
				if (request.decoderResult().isFailure()) {
					throw new IllegalStateException("Decoding failed", request.decoderResult().cause());
				}
				this.requests++;
				this.blackhole.consume(request.headers());
			}
			this.blackhole.consume(msg);
			ReferenceCountUtil.release(msg);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
		}

	}

}
