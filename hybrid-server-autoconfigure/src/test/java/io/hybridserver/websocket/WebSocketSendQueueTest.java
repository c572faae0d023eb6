package io.hybridserver.websocket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.websocket.WebSocketConnectionTest.Recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The send queue of a WebSocket connection on a real event loop thread (Netty's in-memory transport, so that senders
 * are other threads than the loop, as workers are): frames sent while the loop is busy wait in the queue and leave in
 * one batch with one flush, in each thread's order; a blocking send returns once its frame is queued; futures complete
 * when the socket took their frame, or fail after the send timeout with a stalled client; a close goes out after what
 * was sent before it; and the hand-offs to workers wake them once per pass of the loop.
 */
class WebSocketSendQueueTest {

	private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

	private final List<Channel> channels = new ArrayList<>();

	@AfterEach
	void stop() throws InterruptedException {
		for (Channel channel : this.channels) {
			channel.close().await(5, TimeUnit.SECONDS);
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
	}

	/** The socket, as the connection sees it: takes frames (or holds them, stalled) and counts flushes. */
	static final class Socket extends ChannelOutboundHandlerAdapter {

		final List<byte[]> frames = new CopyOnWriteArrayList<>();

		final AtomicInteger flushes = new AtomicInteger();

		final List<ChannelPromise> held = new CopyOnWriteArrayList<>();

		volatile boolean stalled;

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			ByteBuf bytes = (ByteBuf) msg;
			byte[] copy = ByteBufUtil.getBytes(bytes);
			bytes.release();
			if (this.stalled) {
				this.held.add(promise);
				return;
			}
			this.frames.add(copy);
			promise.setSuccess();
		}

		@Override
		public void flush(ChannelHandlerContext ctx) {
			this.flushes.incrementAndGet();
		}

		@Override
		public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
			// As a socket's outbound buffer: what it had not taken fails when it closes.
			for (ChannelPromise pending : this.held) {
				pending.tryFailure(new ClosedChannelException());
			}
			ctx.close(promise);
		}

		/** The payloads of the data frames taken, as text, and "close:CODE" for a close frame. */
		List<String> taken() {
			List<String> taken = new ArrayList<>();
			for (byte[] frame : this.frames) {
				int opcode = frame[0] & 0x0F;
				int length = frame[1] & 0x7F;
				if (opcode == 8) {
					taken.add("close:" + (((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)));
				}
				else {
					taken.add(new String(frame, 2, length, StandardCharsets.UTF_8));
				}
			}
			return taken;
		}

	}

	/** A worker pool the test runs by hand: hand-offs wait until the test takes them, wake-ups are written down. */
	static final class ManualHandOff implements WorkerHandOff {

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

	private static WebSocketSettings settings(long sendBuffer, Duration sendTimeout) {
		return new WebSocketSettings(65536, 65536, 65536, sendBuffer, sendTimeout, Duration.ofSeconds(5), Duration.ZERO,
				0);
	}

	private static OutboundFrame text(String text) {
		return new OutboundFrame(OutboundFrame.Kind.TEXT, text.getBytes(StandardCharsets.UTF_8), true);
	}

	/** A connection switched on the server side of an in-memory channel; its listener's events wait in {@code handOff}. */
	private WebSocketConnection open(WebSocketSettings settings, Socket socket, WebSocketWorkers workers,
			ManualHandOff handOff, Recorder recorder) throws Exception {
		LocalAddress address = new LocalAddress("ws-" + UUID.randomUUID());
		WebSocketUpgrade upgrade = new WebSocketUpgrade(settings, new WebSocketStats(), recorder, workers, () -> {
		});
		Channel server = new ServerBootstrap().group(this.group)
			.channel(LocalServerChannel.class)
			.childHandler(new ChannelInitializer<LocalChannel>() {

				@Override
				protected void initChannel(LocalChannel channel) {
					channel.pipeline().addLast("first", socket);
					channel.pipeline().addLast("decoder", new ChannelInboundHandlerAdapter() {

						@Override
						public void channelActive(ChannelHandlerContext ctx) {
							// As after a 101: the HTTP/1.1 handlers make way for the WebSocket ones.
							upgrade.install(ctx.pipeline(), "decoder");
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
		Channel client = new Bootstrap().group(this.group)
			.channel(LocalChannel.class)
			.handler(new ChannelInboundHandlerAdapter())
			.connect(address)
			.sync()
			.channel();
		this.channels.add(client);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (handOff.queued.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		handOff.runNext();
		assertThat(recorder.connection).as("onOpen ran").isNotNull();
		return recorder.connection;
	}

	/** Holds the connection's loop in a task until the returned latch is counted down. */
	private EventLoop hold(CountDownLatch gate) throws InterruptedException {
		EventLoop loop = this.group.next();
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
		return loop;
	}

	private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not within 10 s: " + what);
			}
			Thread.sleep(2);
		}
	}

	@Test
	void framesSentWhileTheLoopIsBusyLeaveInOneBatchInEachThreadsOrder() throws Exception {
		Socket socket = new Socket();
		ManualHandOff handOff = new ManualHandOff();
		WebSocketConnection connection = open(settings(1 << 20, Duration.ofSeconds(20)), socket,
				new WebSocketWorkers(handOff), handOff, new Recorder());
		CountDownLatch gate = new CountDownLatch(1);
		hold(gate);
		int flushesBefore = socket.flushes.get();
		List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
		List<Thread> senders = new ArrayList<>();
		for (int t = 0; t < 3; t++) {
			int thread = t;
			senders.add(new Thread(() -> {
				for (int i = 0; i < 50; i++) {
					sent.add(connection.sendAsync(text(thread + ":" + i)));
				}
			}));
		}
		senders.forEach(Thread::start);
		for (Thread sender : senders) {
			sender.join(10_000);
		}
		assertThat(socket.frames).as("nothing written while the loop is busy").isEmpty();
		assertThat(sent).as("nor completed").noneMatch(CompletableFuture::isDone);
		gate.countDown();
		for (CompletableFuture<Void> each : sent) {
			each.get(10, TimeUnit.SECONDS);
		}
		List<String> taken = socket.taken();
		assertThat(taken).hasSize(150);
		for (int t = 0; t < 3; t++) {
			String prefix = t + ":";
			List<String> ofThread = taken.stream().filter((frame) -> frame.startsWith(prefix)).toList();
			List<String> expected = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				expected.add(prefix + i);
			}
			assertThat(ofThread).as("thread " + t + "'s order").isEqualTo(expected);
		}
		assertThat(socket.flushes.get() - flushesBefore).as("one flush for the whole batch").isEqualTo(1);
		assertThat(connection.hasSendRoom(1 << 20)).as("every byte is back in the send buffer").isTrue();
	}

	@Test
	void aBlockingSendReturnsOnceItsFrameIsQueuedWithoutWaitingForTheLoop() throws Exception {
		Socket socket = new Socket();
		ManualHandOff handOff = new ManualHandOff();
		WebSocketConnection connection = open(settings(1 << 20, Duration.ofSeconds(20)), socket,
				new WebSocketWorkers(handOff), handOff, new Recorder());
		CountDownLatch gate = new CountDownLatch(1);
		hold(gate);
		for (int i = 0; i < 10; i++) {
			connection.send(text("m" + i));
		}
		assertThat(socket.frames).as("queued, not written: the loop is busy").isEmpty();
		assertThat(connection.hasSendRoom(1 << 20)).as("the queued bytes count against the send buffer").isFalse();
		gate.countDown();
		awaitTrue(() -> socket.frames.size() == 10, "ten frames written");
		assertThat(socket.taken()).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
		awaitTrue(() -> connection.hasSendRoom(1 << 20), "the send buffer empty again");
	}

	@Test
	void aStalledClientFailsTheOldestSendAfterItsTimeoutAndTheConnectionCloses() throws Exception {
		Socket socket = new Socket();
		socket.stalled = true;
		ManualHandOff handOff = new ManualHandOff();
		Recorder recorder = new Recorder();
		WebSocketConnection connection = open(settings(1000, Duration.ofMillis(300)), socket,
				new WebSocketWorkers(handOff), handOff, recorder);
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			sent.add(connection.sendAsync(new OutboundFrame(OutboundFrame.Kind.BINARY, new byte[100], true)));
		}
		CompletableFuture<Void> overTheBound = connection
			.sendAsync(new OutboundFrame(OutboundFrame.Kind.BINARY, new byte[100], true));
		assertThatThrownBy(() -> overTheBound.get(10, TimeUnit.SECONDS)).as("the buffer is full: at once")
			.hasCauseInstanceOf(IOException.class)
			.hasMessageContaining("send buffer");
		assertThatThrownBy(() -> sent.get(0).get(10, TimeUnit.SECONDS))
			.hasCauseInstanceOf(SocketTimeoutException.class);
		for (CompletableFuture<Void> later : sent.subList(1, sent.size())) {
			assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasCauseInstanceOf(ClosedChannelException.class);
		}
		awaitTrue(() -> !connection.isOpen(), "the connection closed");
		awaitTrue(() -> connection.hasSendRoom(1000), "every byte accounted for");
		awaitTrue(() -> !handOff.queued.isEmpty(), "onClose handed over");
		while (!handOff.queued.isEmpty()) {
			handOff.runNext();
		}
		assertThat(recorder.events).containsExactly("open", "close:1006");
	}

	@Test
	void aBlockingSendThatFindsNoRoomWithinTheSendTimeoutFailsAndClosesTheConnection() throws Exception {
		Socket socket = new Socket();
		socket.stalled = true;
		ManualHandOff handOff = new ManualHandOff();
		WebSocketConnection connection = open(settings(1000, Duration.ofMillis(300)), socket,
				new WebSocketWorkers(handOff), handOff, new Recorder());
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			// Asynchronous sends that would wait a minute: only the blocking send's own timeout runs out here.
			sent.add(connection.sendAsync(new OutboundFrame(OutboundFrame.Kind.BINARY, new byte[100], true), 60_000));
		}
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		Thread blocked = new Thread(() -> {
			try {
				connection.send(text("waits for room"));
			}
			catch (IOException ex) {
				failures.add(ex);
			}
		});
		blocked.start();
		blocked.join(10_000);
		assertThat(failures).as("no room within 300 ms").singleElement().isInstanceOf(SocketTimeoutException.class);
		for (CompletableFuture<Void> each : sent) {
			assertThatThrownBy(() -> each.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ClosedChannelException.class);
		}
		awaitTrue(() -> !connection.isOpen(), "the connection closed");
		awaitTrue(() -> connection.hasSendRoom(1000), "every byte accounted for");
	}

	@Test
	void aCloseGoesOutAfterTheFramesSentBeforeItAndNothingAfter() throws Exception {
		Socket socket = new Socket();
		ManualHandOff handOff = new ManualHandOff();
		WebSocketConnection connection = open(settings(1 << 20, Duration.ofSeconds(20)), socket,
				new WebSocketWorkers(handOff), handOff, new Recorder());
		CountDownLatch gate = new CountDownLatch(1);
		hold(gate);
		List<CompletableFuture<Void>> sent = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			sent.add(connection.sendAsync(text("before" + i)));
		}
		connection.close(1000, "bye");
		CompletableFuture<Void> after = connection.sendAsync(text("after"));
		assertThatThrownBy(() -> after.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ClosedChannelException.class);
		gate.countDown();
		for (CompletableFuture<Void> each : sent) {
			each.get(10, TimeUnit.SECONDS);
		}
		awaitTrue(() -> socket.frames.size() == 6, "five frames and the close");
		assertThat(socket.taken()).containsExactly("before0", "before1", "before2", "before3", "before4", "close:1000");
	}

	@Test
	void handOffsOfOneLoopPassWakeWorkersOnceAfterIt() throws Exception {
		ManualHandOff handOff = new ManualHandOff();
		WebSocketWorkers workers = new WebSocketWorkers(handOff);
		EventLoop loop = this.group.next();
		List<Integer> wakesDuringThePass = new ArrayList<>();
		loop.submit(() -> {
			for (int i = 0; i < 5; i++) {
				SerialExecutor session = new SerialExecutor(workers);
				session.bind(loop);
				session.execute(() -> {
				});
				session.execute(() -> {
				});
			}
			wakesDuringThePass.addAll(handOff.wakes);
		}).sync();
		assertThat(wakesDuringThePass).as("nobody woken during the pass").isEmpty();
		awaitTrue(() -> !handOff.wakes.isEmpty(), "the wake-up after the pass");
		assertThat(handOff.wakes).as("one wake-up for the five sessions' runs").containsExactly(5);
		assertThat(handOff.queued).as("one run per session, however many events").hasSize(5);
		SerialExecutor elsewhere = new SerialExecutor(workers);
		elsewhere.bind(loop);
		elsewhere.execute(() -> {
		});
		assertThat(handOff.wakes).as("off the loop: woken at once").containsExactly(5, 1);
	}

}
