package io.hybridserver.reactive.websocket;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import reactor.core.publisher.Mono;

import io.hybridserver.testsupport.RawWebSocket;
import io.hybridserver.websocket.WebSocketSettings;
import io.hybridserver.websocket.WebSocketStats;
import io.hybridserver.websocket.WebSocketWorkers;
import io.hybridserver.websocket.WorkerHandOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batching contract of WebFlux sessions on workers, counted, not timed: the messages of one socket read reach the
 * handler in order in one worker run, handed over once and woken for once, after the event loop's pass; and a
 * continuation of {@code send()} (the next message asked for once a write has gone out) takes the same per-pass
 * hand-off, not a wake-up of its own. The connection is a real one on Netty's in-memory transport (codec, session,
 * WebFlux handler); the workers are the test's thread, which takes each hand-off when the test says.
 */
class ReactiveWebSocketBatchingTest {

	private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

	private final List<Channel> channels = new ArrayList<>();

	@AfterEach
	void stop() throws InterruptedException {
		for (Channel channel : this.channels) {
			channel.close().await(5, TimeUnit.SECONDS);
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
	}

	/** Workers the test runs by hand: hand-offs wait until the test takes them, wake-ups are written down. */
	static final class CountingHandOff implements WorkerHandOff {

		final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();

		final List<Integer> wakes = new CopyOnWriteArrayList<>();

		@Override
		public void enqueue(Runnable task) {
			this.queued.add(task);
		}

		@Override
		public void wakeFor(int count) {
			this.wakes.add(count);
		}

		void runNext() {
			this.queued.remove().run();
		}

	}

	/** The client's side: every byte the server wrote, read back as unmasked frames. */
	static final class ClientBytes extends ChannelInboundHandlerAdapter {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf buf = (ByteBuf) msg;
			try {
				byte[] copy = new byte[buf.readableBytes()];
				buf.readBytes(copy);
				synchronized (this.bytes) {
					this.bytes.writeBytes(copy);
				}
			}
			finally {
				buf.release();
			}
		}

		/** The text payloads of the whole frames received so far (payloads under 64 KiB). */
		List<String> texts() {
			byte[] all;
			synchronized (this.bytes) {
				all = this.bytes.toByteArray();
			}
			List<String> texts = new ArrayList<>();
			int at = 0;
			while (at + 2 <= all.length) {
				int length = all[at + 1] & 0x7F;
				int header = 2;
				if (length == 126) {
					if (at + 4 > all.length) {
						break;
					}
					length = ((all[at + 2] & 0xFF) << 8) | (all[at + 3] & 0xFF);
					header = 4;
				}
				if (at + header + length > all.length) {
					break;
				}
				if ((all[at] & 0x0F) == RawWebSocket.TEXT) {
					texts.add(new String(all, at + header, length, StandardCharsets.UTF_8));
				}
				at += header + length;
			}
			return texts;
		}

	}

	private static WebSocketSettings settings(long sendBuffer) {
		return new WebSocketSettings(65536, 65536, 65536, sendBuffer, Duration.ofSeconds(20), Duration.ofSeconds(5),
				Duration.ZERO, 0);
	}

	/** A WebFlux echo, which writes down the order in which messages reached it. */
	private static WebSocketHandler echo(List<String> received) {
		return (session) -> session.send(session.receive()
			.map((message) -> message.getPayloadAsText())
			.doOnNext(received::add)
			.map(session::textMessage));
	}

	/**
	 * A session switched on the server side of an in-memory channel, with reading left to the connection (autoRead
	 * off, as after a real 101), its {@code onOpen} run; returns the client's channel.
	 */
	private Channel open(WebSocketSettings settings, CountingHandOff handOff, WebSocketHandler handler,
			ClientBytes client) throws Exception {
		ReactiveWebSocketSessions sessions = new ReactiveWebSocketSessions(settings, new WebSocketStats(),
				new WebSocketWorkers(handOff));
		assertThat(sessions.reserve()).isTrue();
		HandshakeInfo info = new HandshakeInfo(URI.create("ws://localhost/ws/echo"), new HttpHeaders(), Mono.empty(),
				null);
		SessionListener listener = new SessionListener(handler, info, DefaultDataBufferFactory.sharedInstance,
				sessions);
		LocalAddress address = new LocalAddress("wsflux-" + UUID.randomUUID());
		Channel server = new ServerBootstrap().group(this.group)
			.channel(LocalServerChannel.class)
			.childOption(ChannelOption.AUTO_READ, false)
			.childHandler(new ChannelInitializer<LocalChannel>() {

				@Override
				protected void initChannel(LocalChannel channel) {
					channel.pipeline().addLast("decoder", new ChannelInboundHandlerAdapter() {

						@Override
						public void channelActive(ChannelHandlerContext ctx) {
							// As after a 101: the HTTP/1.1 handlers make way for the WebSocket ones.
							sessions.newUpgrade(listener).install(ctx.pipeline(), "decoder");
							ctx.pipeline().remove(this);
							ctx.fireChannelActive();
						}

					});
				}

			})
			.bind(address)
			.sync()
			.channel();
		this.channels.add(server);
		Channel channel = new Bootstrap().group(this.group)
			.channel(LocalChannel.class)
			.handler(client)
			.connect(address)
			.sync()
			.channel();
		this.channels.add(channel);
		awaitTrue(() -> !handOff.queued.isEmpty(), "onOpen handed over");
		handOff.runNext();
		// The open's hand-off was woken for after its pass, as every later one must be.
		awaitTrue(() -> !handOff.wakes.isEmpty(), "the wake-up for onOpen");
		assertThat(handOff.wakes).containsExactly(1);
		return channel;
	}

	@Test
	void messagesOfOneReadReachTheHandlerInOrderInOneRunHandedOverAndWokenForOnce() throws Exception {
		CountingHandOff handOff = new CountingHandOff();
		List<String> received = new CopyOnWriteArrayList<>();
		ClientBytes client = new ClientBytes();
		Channel channel = open(settings(1024 * 1024), handOff, echo(received), client);
		int count = 50;
		ByteBuf burst = Unpooled.buffer();
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String text = i + ":" + "x".repeat(128);
			sent.add(text);
			burst.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, text.getBytes(StandardCharsets.UTF_8)));
		}
		// One buffer: the in-memory transport delivers it in one read, and the codec decodes its 50 frames in one pass.
		channel.writeAndFlush(burst).sync();
		awaitTrue(() -> handOff.wakes.size() > 1, "the wake-up after the pass that read the burst");
		EventLoop loop = channel.eventLoop();
		loop.submit(() -> {
		}).sync();
		assertThat(handOff.wakes).as("one wake-up, for one session run, after the pass").containsExactly(1, 1);
		assertThat(handOff.queued).as("one hand-off for 50 messages").hasSize(1);
		assertThat(received).as("nothing runs before a worker takes the session").isEmpty();
		handOff.runNext();
		assertThat(received).as("every message of the read, in order, in the one run").isEqualTo(sent);
		awaitTrue(() -> client.texts().size() == count, "the 50 echoes written");
		assertThat(client.texts()).isEqualTo(sent);
		loop.submit(() -> {
		}).sync();
		assertThat(handOff.queued).as("no further hand-off: the echoes needed none").isEmpty();
		assertThat(handOff.wakes).hasSize(2);
	}

	@Test
	void aSendContinuationAfterAWriteIsHandedOverPerPassLikeTheEvents() throws Exception {
		CountingHandOff handOff = new CountingHandOff();
		List<String> received = new CopyOnWriteArrayList<>();
		ClientBytes client = new ClientBytes();
		// A send buffer of one byte: no message is asked for while the last one has not gone out.
		Channel channel = open(settings(1), handOff, echo(received), client);
		EventLoop loop = channel.eventLoop();
		ByteBuf burst = Unpooled.buffer();
		for (int i = 0; i < 3; i++) {
			burst.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, ("m" + i).getBytes(StandardCharsets.UTF_8)));
		}
		channel.writeAndFlush(burst).sync();
		awaitTrue(() -> handOff.wakes.size() == 2, "the wake-up for the burst");
		for (int i = 0; i < 3; i++) {
			int wakes = handOff.wakes.size();
			// The loop is held while the worker runs: the echo's write cannot go out before send() looks for room.
			CountDownLatch gate = new CountDownLatch(1);
			hold(loop, gate);
			handOff.runNext();
			assertThat(received).as("message %d asked for, the next not before its echo is written", i).hasSize(i + 1);
			assertThat(handOff.queued).as("the continuation waits for the write").isEmpty();
			gate.countDown();
			if (i < 2) {
				awaitTrue(() -> handOff.wakes.size() > wakes, "the continuation's wake-up after the write's pass");
				loop.submit(() -> {
				}).sync();
				assertThat(handOff.queued).as("the next message asked for by one hand-off").hasSize(1);
				assertThat(handOff.wakes.subList(wakes, handOff.wakes.size())).containsExactly(1);
			}
			int echoed = i + 1;
			awaitTrue(() -> client.texts().size() == echoed, "echo " + i + " written");
		}
		assertThat(client.texts()).containsExactly("m0", "m1", "m2");
		// The third write's continuation asks for a fourth message: nothing is waiting, so it reads on.
		awaitTrue(() -> !handOff.queued.isEmpty(), "the last continuation");
		handOff.runNext();
		assertThat(received).containsExactly("m0", "m1", "m2");
	}

	/** Holds the loop in a task until {@code gate} opens. */
	private static void hold(EventLoop loop, CountDownLatch gate) throws InterruptedException {
		CountDownLatch holding = new CountDownLatch(1);
		loop.execute(() -> {
			holding.countDown();
			try {
				gate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
	}

	private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not within 10 s: " + what);
			}
			Thread.sleep(2);
		}
	}

}
