package io.hybridserver.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page's server side over real WebSockets (the JDK's client) on the hybrid server: what one visitor says
 * reaches the other, the page and its script are served by the application, and a message that is not a chat message
 * closes its sender's session with 1003 while the room goes on. The browser itself is checked by
 * sample-app/browser-check.sh (headless Chromium), outside the build.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatTest {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newHttpClient();

	private final Visitor alice = new Visitor();

	private final Visitor bob = new Visitor();

	@AfterEach
	void leave() {
		this.alice.leave();
		this.bob.leave();
	}

	@Test
	void aMessageFromOneVisitorReachesTheOther() throws Exception {
		this.alice.join();
		this.bob.join();
		this.alice.say("{\"name\":\"alice\",\"text\":\"hello bob\"}");
		assertThat(this.bob.next()).isEqualTo("{\"name\":\"alice\",\"text\":\"hello bob\"}");
		// The sender gets it back too: its page shows what the room saw.
		assertThat(this.alice.next()).isEqualTo("{\"name\":\"alice\",\"text\":\"hello bob\"}");
		this.bob.say("{\"name\":\"bob\",\"text\":\"hi alice \u00e9\u20ac\ud83d\ude00\"}");
		assertThat(this.alice.next()).isEqualTo("{\"name\":\"bob\",\"text\":\"hi alice \u00e9\u20ac\ud83d\ude00\"}");
	}

	@Test
	void longNamesAndTextsAreCut() throws Exception {
		this.alice.join();
		this.alice.say("{\"name\":\"" + "n".repeat(100) + "\",\"text\":\"" + "t".repeat(1000) + "\"}");
		assertThat(this.alice.next()).isEqualTo("{\"name\":\"" + "n".repeat(ChatHandler.MAX_NAME) + "\",\"text\":\""
				+ "t".repeat(ChatHandler.MAX_TEXT) + "\"}");
	}

	@Test
	void somethingElseClosesOnlyItsSendersSession() throws Exception {
		this.alice.join();
		this.bob.join();
		this.bob.say("not json");
		assertThat(this.bob.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1003);
		this.alice.say("{\"name\":\"alice\",\"text\":\"still here\"}");
		assertThat(this.alice.next()).isEqualTo("{\"name\":\"alice\",\"text\":\"still here\"}");
	}

	@Test
	void thePageAndItsScriptAreServedByTheApplication() throws Exception {
		HttpResponse<String> page = get("/chat.html");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<script src=\"chat.js\"></script>").doesNotContain("://");
		HttpResponse<String> script = get("/chat.js");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.body()).contains("'/chat/ws'");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** One browser tab, as the JDK's WebSocket client: what it receives, whole messages in order. */
	private final class Visitor implements WebSocket.Listener {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		private WebSocket socket;

		void join() throws Exception {
			this.socket = ChatTest.this.client.newWebSocketBuilder()
				.header("Origin", "http://127.0.0.1:" + ChatTest.this.port)
				.buildAsync(URI.create("ws://127.0.0.1:" + ChatTest.this.port + ChatConfiguration.PATH), this)
				.get(10, TimeUnit.SECONDS);
		}

		void say(String message) throws Exception {
			this.socket.sendText(message, true).get(10, TimeUnit.SECONDS);
		}

		String next() throws InterruptedException {
			String message = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(message).as("a message within 10 s").isNotNull();
			return message;
		}

		void leave() {
			if (this.socket != null && !this.socket.isOutputClosed()) {
				this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS);
			}
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.received.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closeCode.completeExceptionally(error);
		}

	}

}
