package io.hybridserver.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import io.hybridserver.testsupport.RawWebSocket;

import static io.hybridserver.testsupport.RawWebSocket.BINARY;
import static io.hybridserver.testsupport.RawWebSocket.CONTINUATION;
import static io.hybridserver.testsupport.RawWebSocket.PING;
import static io.hybridserver.testsupport.RawWebSocket.TEXT;
import static io.hybridserver.testsupport.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The loop side of a WebSocket connection in memory, assembled by {@link WebSocketUpgrade} as after a real 101: the
 * same events whatever the split of the input, reading that stops while the listener is behind, a bounded send
 * buffer and a send timeout, and the close handshake's bookkeeping.
 */
class WebSocketConnectionTest {

	/** Runs listener events only when the test says so, as a worker that is behind. */
	static final class ManualExecutor implements Executor {

		final Queue<Runnable> tasks = new ArrayDeque<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
			}
		}

	}

	/** Writes down each event. */
	static final class Recorder implements WebSocketListener {

		final List<String> events = new ArrayList<>();

		WebSocketConnection connection;

		@Override
		public void onOpen(WebSocketConnection connection) {
			this.connection = connection;
			this.events.add("open");
		}

		@Override
		public void onText(byte[] payload, boolean last) {
			this.events.add("text:" + new String(payload, StandardCharsets.ISO_8859_1) + ":" + last);
		}

		@Override
		public void onBinary(byte[] payload, boolean last) {
			this.events.add("binary:" + payload.length + ":" + last);
		}

		@Override
		public void onPong(byte[] payload) {
			this.events.add("pong:" + new String(payload, StandardCharsets.UTF_8));
		}

		@Override
		public void onError(Throwable cause) {
			this.events.add("error:" + cause.getClass().getSimpleName());
		}

		@Override
		public void onClose(int code, String reason) {
			this.events.add("close:" + code);
		}

	}

	/** Counts the reads the connection asks for. */
	static final class ReadCounter extends ChannelOutboundHandlerAdapter {

		final AtomicInteger reads = new AtomicInteger();

		@Override
		public void read(ChannelHandlerContext ctx) {
			this.reads.incrementAndGet();
			ctx.read();
		}

	}

	/** Holds written messages without completing their promises, as a socket the client does not drain. */
	static final class StalledSocket extends ChannelDuplexHandler {

		final List<Object> held = new ArrayList<>();

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			this.held.add(msg);
		}

		void release() {
			this.held.forEach(ReferenceCountUtil::release);
			this.held.clear();
		}

	}

	private static WebSocketSettings settings(int readBuffer, long sendBuffer, Duration sendTimeout) {
		return new WebSocketSettings(65536, 65536, readBuffer, sendBuffer, sendTimeout, Duration.ofSeconds(5),
				Duration.ZERO, 0);
	}

	private static EmbeddedChannel channel(WebSocketSettings settings, WebSocketListener listener, Executor executor,
			Runnable onEnd, io.netty.channel.ChannelHandler first) {
		return channel(new WebSocketUpgrade(settings, new WebSocketStats(), listener, executor, onEnd), first);
	}

	/** A channel switched by {@code upgrade}, as {@code Http1Connection} switches one after its 101. */
	private static EmbeddedChannel channel(WebSocketUpgrade upgrade, io.netty.channel.ChannelHandler first) {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.config().setAutoRead(false);
		if (first != null) {
			channel.pipeline().addLast("first", first);
		}
		channel.pipeline().addLast("decoder", new ChannelInboundHandlerAdapter());
		upgrade.install(channel.pipeline(), "decoder");
		if (channel.pipeline().get("decoder") != null) {
			// Gone already when the switch closed the channel.
			channel.pipeline().remove("decoder");
		}
		return channel;
	}

	/** Runs the listener's onOpen and what the loop does after it: the 101 (here none) goes out, reading starts. */
	private static void opened(EmbeddedChannel channel, ManualExecutor executor) {
		executor.runAll();
		channel.runPendingTasks();
	}

	/** The status code of the close frame the connection wrote next, or -1 when it wrote none. */
	private static int writtenCloseCode(EmbeddedChannel channel) {
		ByteBuf written;
		while ((written = channel.readOutbound()) != null) {
			byte[] bytes = ByteBufUtil.getBytes(written);
			written.release();
			if ((bytes[0] & 0x0F) == RawWebSocket.CLOSE) {
				return ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
			}
		}
		return -1;
	}

	private static byte[] filled(int size) {
		byte[] bytes = new byte[size];
		java.util.Arrays.fill(bytes, (byte) 'a');
		return bytes;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	@Test
	void theSameEventsWhateverTheSplitOfTheInput() {
		byte[] input = concat(frame(false, 0, TEXT, new byte[] { 'h', (byte) 0xC3 }, true),
				frame(PING, "p".getBytes(StandardCharsets.UTF_8)),
				frame(true, 0, CONTINUATION, new byte[] { (byte) 0xA9, 'y' }, true),
				frame(BINARY, new byte[300]),
				frame(RawWebSocket.PONG, "beat".getBytes(StandardCharsets.UTF_8)));
		List<String> expected = null;
		for (int split = 0; split <= input.length; split++) {
			Recorder recorder = new Recorder();
			ManualExecutor executor = new ManualExecutor();
			EmbeddedChannel channel = channel(settings(65536, 65536, Duration.ofSeconds(5)), recorder, executor,
					() -> {
					}, null);
			channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
			channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
			executor.runAll();
			// The frames wait for the listener's onOpen, as the 101 does; the loop reads them then, and the listener
			// gets them next.
			channel.runPendingTasks();
			executor.runAll();
			ByteBuf pong = channel.readOutbound();
			assertThat(pong).as("the pong, split at " + split).isNotNull();
			// 0x8A: a final pong; 0x01: one byte of payload, unmasked; then the ping's payload.
			assertThat(ByteBufUtil.getBytes(pong)).containsExactly(0x8A, 0x01, 'p');
			pong.release();
			if (expected == null) {
				expected = List.copyOf(recorder.events);
				assertThat(expected).containsExactly("open", "text:h\u00C3:false", "text:\u00A9y:true",
						"binary:300:true", "pong:beat");
			}
			assertThat(recorder.events).as("split at " + split).isEqualTo(expected);
			assertThat(channel.finishAndReleaseAll()).isFalse();
		}
	}

	@Test
	void theSwitchWrittenBeforeTheUpgradeIsFlushedOnlyOnceTheListenerHasOpened() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.config().setAutoRead(false);
		channel.pipeline().addLast("decoder", new ChannelInboundHandlerAdapter());
		// As Http1Connection does: the 101 is written, not flushed, and the upgrade installed.
		channel.write(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\n\r\n", StandardCharsets.US_ASCII));
		new WebSocketUpgrade(settings(65536, 65536, Duration.ofSeconds(5)), new WebSocketStats(), recorder, executor,
				() -> {
				})
			.install(channel.pipeline(), "decoder");
		channel.pipeline().remove("decoder");
		channel.pipeline().fireChannelReadComplete();
		channel.runPendingTasks();
		assertThat((Object) channel.readOutbound()).as("nothing reaches the client before onOpen").isNull();
		executor.runAll();
		channel.runPendingTasks();
		ByteBuf switched = channel.readOutbound();
		assertThat(switched.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
		switched.release();
		assertThat(recorder.events).containsExactly("open");
		channel.finishAndReleaseAll();
	}

	@Test
	void readingStopsWhileTheListenerIsBehindAndResumesWhenItCatchesUp() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		ReadCounter counter = new ReadCounter();
		EmbeddedChannel channel = channel(settings(16, 65536, Duration.ofSeconds(5)), recorder, executor, () -> {
		}, counter);
		assertThat(counter.reads.get()).as("nothing is read before the listener's onOpen has returned").isZero();
		channel.pipeline().fireChannelReadComplete();
		assertThat(counter.reads.get()).as("not even after a read completes").isZero();
		executor.runAll();
		channel.runPendingTasks();
		assertThat(counter.reads.get()).as("the connection asks for bytes once open").isEqualTo(1);
		channel.writeInbound(Unpooled.wrappedBuffer(frame(TEXT, new byte[10])));
		int underBound = counter.reads.get();
		assertThat(underBound).as("10 of 16 bytes waiting: read on").isGreaterThan(1);
		channel.writeInbound(Unpooled.wrappedBuffer(frame(TEXT, new byte[10])));
		int overBound = counter.reads.get();
		channel.pipeline().fireChannelReadComplete();
		channel.pipeline().fireChannelReadComplete();
		assertThat(counter.reads.get()).as("20 bytes waiting for the listener: no more reads").isEqualTo(overBound);
		executor.runAll();
		channel.runPendingTasks();
		assertThat(counter.reads.get()).as("the listener caught up: reading resumes").isGreaterThan(overBound);
		assertThat(recorder.events).containsExactly("open", "text:" + "\0".repeat(10) + ":true",
				"text:" + "\0".repeat(10) + ":true");
		channel.finishAndReleaseAll();
	}

	@Test
	void asyncSendsFailWhenTheSendBufferIsFullAndAfterTheSendTimeout() throws Exception {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		StalledSocket socket = new StalledSocket();
		AtomicInteger ended = new AtomicInteger();
		EmbeddedChannel channel = channel(settings(65536, 10, Duration.ofSeconds(2)), recorder, executor,
				ended::incrementAndGet, socket);
		executor.runAll();
		WebSocketConnection connection = recorder.connection;
		CompletableFuture<Void> first = connection.sendAsync(new OutboundFrame(OutboundFrame.Kind.TEXT,
				new byte[20], true));
		assertThat(first).as("the first send is taken even over the bound, so that no message is too big").isNotDone();
		CompletableFuture<Void> second = connection.sendAsync(new OutboundFrame(OutboundFrame.Kind.BINARY,
				new byte[1], true));
		assertThatThrownBy(second::get).isInstanceOf(ExecutionException.class)
			.hasCauseInstanceOf(IOException.class)
			.hasMessageContaining("send buffer");
		channel.advanceTimeBy(2, TimeUnit.SECONDS);
		channel.runScheduledPendingTasks();
		assertThatThrownBy(first::get).hasCauseInstanceOf(SocketTimeoutException.class);
		assertThat(channel.isOpen()).as("a client that takes nothing for the send timeout is dropped").isFalse();
		executor.runAll();
		assertThat(recorder.events).containsExactly("open", "close:1006");
		assertThat(ended.get()).isEqualTo(1);
		socket.release();
		channel.finishAndReleaseAll();
	}

	@Test
	void aFrameOverTheFrameLimitIs1009BeforeItIsBuffered() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		WebSocketSettings small = new WebSocketSettings(125, 65536, 65536, 65536, Duration.ofSeconds(5),
				Duration.ofSeconds(5), Duration.ZERO, 0);
		EmbeddedChannel channel = channel(small, recorder, executor, () -> {
		}, null);
		opened(channel, executor);
		byte[] big = frame(BINARY, new byte[126]);
		// Only the frame's header: the limit is known before the payload arrives.
		channel.writeInbound(Unpooled.wrappedBuffer(big, 0, 8));
		ByteBuf close = channel.readOutbound();
		byte[] bytes = ByteBufUtil.getBytes(close);
		close.release();
		assertThat(bytes[0] & 0xFF).as("a final close frame").isEqualTo(0x88);
		assertThat(((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF)).as("its code").isEqualTo(1009);
		assertThat(channel.isOpen()).isFalse();
		executor.runAll();
		assertThat(recorder.events).containsExactly("open", "error:CorruptedWebSocketFrameException", "close:1009");
		channel.finishAndReleaseAll();
	}

	@Test
	void aMessageOverTheLimitIsRefusedAtTheHeaderThatShowsItWhateverTheSplit() {
		byte[] first = frame(false, 0, TEXT, filled(60), true);
		byte[] input = concat(first, frame(true, 0, CONTINUATION, filled(60), true));
		// The second frame's header: 2 bytes, then its 4-byte masking key.
		int secondHeaderEnd = first.length + 6;
		for (int split = 0; split <= input.length; split++) {
			Recorder recorder = new Recorder();
			ManualExecutor executor = new ManualExecutor();
			EmbeddedChannel channel = channel(new WebSocketUpgrade(settings(65536, 65536, Duration.ofSeconds(5)),
					new WebSocketStats(), recorder, executor, () -> {
					}).withMessageLimit(100), null);
			opened(channel, executor);
			channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
			if (split >= secondHeaderEnd) {
				assertThat(channel.isOpen()).as("refused once the header is in, split at " + split).isFalse();
			}
			if (channel.isOpen()) {
				channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
			}
			assertThat(writtenCloseCode(channel)).as("split at " + split).isEqualTo(1009);
			assertThat(channel.isOpen()).isFalse();
			executor.runAll();
			assertThat(recorder.events).as("split at " + split)
				.containsExactly("open", "text:" + "a".repeat(60) + ":false", "error:CorruptedWebSocketFrameException",
						"close:1009");
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void aMessageWithinTheLimitPassesWhateverTheSplit() {
		byte[] input = concat(frame(false, 0, TEXT, filled(50), true), frame(PING, new byte[] { 'p' }),
				frame(true, 0, CONTINUATION, filled(50), true), frame(BINARY, filled(100)));
		for (int split = 0; split <= input.length; split++) {
			Recorder recorder = new Recorder();
			ManualExecutor executor = new ManualExecutor();
			EmbeddedChannel channel = channel(new WebSocketUpgrade(settings(65536, 65536, Duration.ofSeconds(5)),
					new WebSocketStats(), recorder, executor, () -> {
					}).withMessageLimit(100), null);
			opened(channel, executor);
			channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
			channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
			executor.runAll();
			assertThat(recorder.events).as("split at " + split)
				.containsExactly("open", "text:" + "a".repeat(50) + ":false", "text:" + "a".repeat(50) + ":true",
						"binary:100:true");
			assertThat(channel.isOpen()).isTrue();
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void aCompressedMessageIsCountedAsItInflates() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		PerMessageDeflate deflate = PerMessageDeflate.negotiate("permessage-deflate", 1 << 20);
		EmbeddedChannel channel = channel(new WebSocketUpgrade(settings(65536, 65536, Duration.ofSeconds(5)),
				new WebSocketStats(), recorder, executor, () -> {
				}).withDeflate(deflate).withMessageLimit(100), null);
		opened(channel, executor);
		java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
		byte[] first = RawWebSocket.deflateFlushed(deflater, filled(60));
		byte[] second = RawWebSocket.deflateFlushed(deflater, filled(60));
		deflater.end();
		second = java.util.Arrays.copyOf(second, second.length - 4);
		assertThat(first.length + second.length).as("small on the wire").isLessThan(100);
		channel.writeInbound(Unpooled.wrappedBuffer(concat(frame(false, 4, TEXT, first, true),
				frame(true, 0, CONTINUATION, second, true))));
		assertThat(writtenCloseCode(channel)).isEqualTo(1009);
		executor.runAll();
		assertThat(recorder.events).containsExactly("open", "text:" + "a".repeat(60) + ":false",
				"error:CorruptedWebSocketFrameException", "close:1009");
		channel.finishAndReleaseAll();
	}

	@Test
	void aCompressedFrameInflatingPastTheInflationBoundIs1009() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		PerMessageDeflate deflate = PerMessageDeflate.negotiate("permessage-deflate", 100);
		EmbeddedChannel channel = channel(new WebSocketUpgrade(settings(65536, 65536, Duration.ofSeconds(5)),
				new WebSocketStats(), recorder, executor, () -> {
				}).withDeflate(deflate), null);
		opened(channel, executor);
		java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
		byte[] bomb = RawWebSocket.deflateFlushed(deflater, filled(10_000));
		deflater.end();
		channel.writeInbound(Unpooled.wrappedBuffer(frame(true, 4, BINARY,
				java.util.Arrays.copyOf(bomb, bomb.length - 4), true)));
		assertThat(writtenCloseCode(channel)).isEqualTo(1009);
		assertThat(channel.isOpen()).isFalse();
		executor.runAll();
		assertThat(recorder.events).containsExactly("open", "error:CorruptedWebSocketFrameException", "close:1009");
		channel.finishAndReleaseAll();
	}

	@Test
	void anAbandonedUpgradeGivesItsSlotBackOnceAndNeverBecomesASession() {
		AtomicInteger ended = new AtomicInteger();
		WebSocketStats stats = new WebSocketStats();
		WebSocketUpgrade upgrade = new WebSocketUpgrade(settings(65536, 65536, Duration.ofSeconds(5)), stats,
				new Recorder(), new ManualExecutor(), ended::incrementAndGet);
		upgrade.abandon();
		upgrade.abandon();
		assertThat(ended.get()).isEqualTo(1);
		EmbeddedChannel channel = channel(upgrade, null);
		assertThat(channel.isOpen()).as("a switch after the abandon closes the connection").isFalse();
		assertThat(channel.pipeline().get(WebSocketConnection.class)).isNull();
		assertThat(ended.get()).isEqualTo(1);
		assertThat(stats.sessions()).isZero();
		channel.finishAndReleaseAll();
	}

	@Test
	void anInstalledUpgradeGivesItsSlotBackWhenTheChannelClosesAndIsNotAbandoned() {
		AtomicInteger ended = new AtomicInteger();
		WebSocketStats stats = new WebSocketStats();
		ManualExecutor executor = new ManualExecutor();
		WebSocketUpgrade upgrade = new WebSocketUpgrade(settings(65536, 65536, Duration.ofSeconds(5)), stats,
				new Recorder(), executor, ended::incrementAndGet);
		EmbeddedChannel channel = channel(upgrade, null);
		assertThat(stats.sessions()).isEqualTo(1);
		upgrade.abandon();
		assertThat(ended.get()).as("installed: the connection owns the slot now").isZero();
		channel.close();
		executor.runAll();
		assertThat(ended.get()).isEqualTo(1);
		assertThat(stats.sessions()).isZero();
		channel.finishAndReleaseAll();
	}

	@Test
	void aClientEndingTheTcpConnectionWithoutACloseEndsTheSession() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		AtomicInteger ended = new AtomicInteger();
		EmbeddedChannel channel = channel(settings(65536, 65536, Duration.ofSeconds(5)), recorder, executor,
				ended::incrementAndGet, null);
		// What the socket reports when the client's FIN arrives (the listeners allow half-closure).
		channel.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
		assertThat(channel.isOpen()).isFalse();
		executor.runAll();
		assertThat(recorder.events).containsExactly("open", "close:1006");
		assertThat(ended.get()).as("the session slot is back").isEqualTo(1);
		channel.finishAndReleaseAll();
	}

	@Test
	void closingNowSays1001First() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		EmbeddedChannel channel = channel(settings(65536, 65536, Duration.ofSeconds(5)), recorder, executor, () -> {
		}, null);
		executor.runAll();
		recorder.connection.closeNow();
		assertThat(writtenCloseCode(channel)).isEqualTo(1001);
		assertThat(channel.isOpen()).as("no answer awaited").isFalse();
		recorder.connection.closeNow();
		assertThat(writtenCloseCode(channel)).as("said once").isEqualTo(-1);
		executor.runAll();
		assertThat(recorder.events).containsExactly("open", "close:1001");
		channel.finishAndReleaseAll();
	}

	@Test
	void ourCloseWaitsForTheClientsThenEndsTheConnection() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		EmbeddedChannel channel = channel(settings(65536, 65536, Duration.ofSeconds(5)), recorder, executor, () -> {
		}, null);
		executor.runAll();
		recorder.connection.close(4000, "done");
		channel.runPendingTasks();
		ByteBuf close = channel.readOutbound();
		assertThat(ByteBufUtil.getBytes(close)).startsWith(0x88, 0x06, 0x0F, 0xA0);
		close.release();
		assertThat(recorder.connection.isOpen()).isFalse();
		assertThat(channel.isOpen()).as("waiting for the client's close").isTrue();
		channel.writeInbound(Unpooled.wrappedBuffer(frame(TEXT, new byte[] { 'x' })));
		channel.writeInbound(Unpooled.wrappedBuffer(frame(RawWebSocket.CLOSE, RawWebSocket.closePayload(4000, ""))));
		assertThat(channel.isOpen()).isFalse();
		executor.runAll();
		assertThat(recorder.events).as("nothing after our close but the close").containsExactly("open", "close:4000");
		channel.finishAndReleaseAll();
	}

	@Test
	void ourCloseGivesUpOnASilentClientAfterTheCloseTimeout() {
		Recorder recorder = new Recorder();
		ManualExecutor executor = new ManualExecutor();
		EmbeddedChannel channel = channel(settings(65536, 65536, Duration.ofSeconds(5)), recorder, executor, () -> {
		}, null);
		executor.runAll();
		recorder.connection.goAway();
		channel.runPendingTasks();
		ByteBuf close = channel.readOutbound();
		assertThat(ByteBufUtil.getBytes(close)).startsWith(0x88);
		close.release();
		channel.advanceTimeBy(5, TimeUnit.SECONDS);
		channel.runScheduledPendingTasks();
		assertThat(channel.isOpen()).isFalse();
		executor.runAll();
		assertThat(recorder.events).containsExactly("open", "close:1001");
		channel.finishAndReleaseAll();
	}

}
