package io.hybridserver.apps.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * WebSocket as applications use it, unchanged: Spring's {@code @EnableWebSocket} with a {@link TextWebSocketHandler},
 * annotated {@code @ServerEndpoint}s deployed by {@link ServerEndpointExporter} (path parameters, binary and partial
 * messages, pongs, an encoder and a decoder, a configurator with subprotocols and {@code modifyHandshake}), and a
 * programmatic {@link Endpoint} through {@link ServerEndpointRegistration}.
 */
@SpringBootApplication
public class WebSocketTestApplication {

	/** What the endpoints saw of closes and errors, for the tests to wait on. */
	public static final BlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();

	@RestController
	static class PlainController {

		@GetMapping("/plain")
		String plain() {
			return "plain";
		}

	}

	@Configuration
	@EnableWebSocket
	static class SpringWebSocketConfig implements WebSocketConfigurer {

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new SpringEcho(), "/spring/echo");
			registry.addHandler(new SpringBinaryEcho(), "/spring/binary").setAllowedOrigins("*");
		}

	}

	/** Echoes text with a prefix; "close" makes it close with 4001. */
	static class SpringEcho extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
			if (message.getPayload().equals("close")) {
				session.close(new CloseStatus(4001, "asked to"));
				return;
			}
			session.sendMessage(new TextMessage("spring:" + message.getPayload()));
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			EVENTS.add("spring-closed:" + status.getCode());
		}

	}

	static class SpringBinaryEcho extends BinaryWebSocketHandler {

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
			session.sendMessage(new BinaryMessage(message.getPayload()));
		}

	}

	/** Released by {@link #holdUpgrade()} once a handshake for {@code /jakarta/echo/hold} has its 101 decided. */
	public static final Semaphore HOLD_REACHED = new Semaphore(0);

	/** What {@link #holdUpgrade()} waits for before the 101 goes out: the test's say-so. */
	public static final Semaphore HOLD_RELEASE = new Semaphore(0);

	/**
	 * Holds a handshake for {@code /jakarta/echo/hold} after the container decided on the 101 (the session slot is
	 * taken, the upgrade prepared) and before the servlet returns, so that a test can close the connection
	 * mid-upgrade.
	 */
	@Bean
	FilterRegistrationBean<Filter> holdUpgrade() {
		Filter hold = (request, response, chain) -> {
			chain.doFilter(request, response);
			if (((HttpServletResponse) response).getStatus() == 101) {
				HOLD_REACHED.release();
				try {
					HOLD_RELEASE.tryAcquire(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		};
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(hold);
		registration.addUrlPatterns("/jakarta/echo/hold");
		return registration;
	}

	/** Released by the echo's onOpen for {@code /jakarta/echo/held-open}, which then waits for {@link #OPEN_RELEASE}. */
	public static final Semaphore OPEN_REACHED = new Semaphore(0);

	/** What the echo's onOpen for {@code /jakarta/echo/held-open} waits for: the test's say-so. */
	public static final Semaphore OPEN_RELEASE = new Semaphore(0);

	@Bean
	AddressEcho addressEcho() {
		return new AddressEcho();
	}

	/** Answers any message with the endpoint addresses of its session's user properties: "remote local". */
	@ServerEndpoint("/jakarta/address")
	public static class AddressEcho {

		@OnMessage
		public String addresses(String message, Session session) {
			return session.getUserProperties().get("jakarta.websocket.endpoint.remoteAddress") + " "
					+ session.getUserProperties().get("jakarta.websocket.endpoint.localAddress");
		}

	}

	@Bean
	ServerEndpointExporter serverEndpointExporter() {
		return new ServerEndpointExporter();
	}

	@Bean
	AnnotatedEcho annotatedEcho() {
		return new AnnotatedEcho();
	}

	@Bean
	PartialEcho partialEcho() {
		return new PartialEcho();
	}

	@Bean
	ChatEndpoint chatEndpoint() {
		return new ChatEndpoint();
	}

	@Bean
	ServerEndpointRegistration programmatic() {
		return new ServerEndpointRegistration("/jakarta/programmatic", new ProgrammaticEcho());
	}

	/** Echoes text and binary messages whole; "room" answers with the path parameter, "uri" with the request URI. */
	@ServerEndpoint("/jakarta/echo/{room}")
	public static class AnnotatedEcho {

		private String room;

		@OnOpen
		public void open(Session session, @PathParam("room") String room) throws InterruptedException {
			this.room = room;
			if ("held-open".equals(room)) {
				OPEN_REACHED.release();
				OPEN_RELEASE.tryAcquire(20, TimeUnit.SECONDS);
			}
		}

		@OnMessage(maxMessageSize = 16 * 1024 * 1024 + 1)
		public String text(String message, Session session) throws IOException {
			return switch (message) {
				case "room" -> "room:" + this.room;
				case "uri" -> session.getRequestURI().toString();
				case "idle" -> {
					session.setMaxIdleTimeout(200);
					yield "idle:200";
				}
				case "close" -> {
					session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "bye"));
					yield null;
				}
				case "throw" -> throw new IllegalStateException("thrown on purpose");
				default -> message;
			};
		}

		@OnMessage(maxMessageSize = 16 * 1024 * 1024 + 1)
		public ByteBuffer binary(ByteBuffer message) {
			return message;
		}

		@OnMessage
		public void pong(PongMessage pong, Session session) throws IOException {
			session.getBasicRemote().sendText("pong:" + new String(pong.getApplicationData().array()));
		}

		@OnError
		public void error(Throwable error, Session session) throws IOException {
			EVENTS.add("annotated-error:" + error.getMessage());
			if (session.isOpen()) {
				session.getBasicRemote().sendText("error:" + error.getMessage());
			}
		}

		@OnClose
		public void close(CloseReason reason) {
			EVENTS.add("annotated-closed:" + reason.getCloseCode().getCode());
		}

	}

	/** Takes text in parts and answers each part with its "last" flag; the default buffer limits apply. */
	@ServerEndpoint("/jakarta/partial")
	public static class PartialEcho {

		@OnMessage
		public void part(String part, boolean last, Session session) throws IOException {
			session.getBasicRemote().sendText(part + "|" + last);
		}

	}

	@Bean
	SmallEcho smallEcho() {
		return new SmallEcho();
	}

	/** Takes messages of at most 16 bytes: a bigger one closes the session with 1009. */
	@ServerEndpoint("/jakarta/small")
	public static class SmallEcho {

		@OnMessage(maxMessageSize = 16)
		public String text(String message) {
			return message;
		}

		@OnClose
		public void close(CloseReason reason) {
			EVENTS.add("small-closed:" + reason.getCloseCode().getCode());
		}

	}

	/** A chat message, in and out through a decoder and an encoder. */
	public record Chat(String from, String text) {
	}

	public static class ChatDecoder implements Decoder.Text<Chat> {

		@Override
		public Chat decode(String s) throws DecodeException {
			int colon = s.indexOf(':');
			return new Chat(s.substring(0, colon), s.substring(colon + 1));
		}

		@Override
		public boolean willDecode(String s) {
			return s.indexOf(':') > 0;
		}

	}

	public static class ChatEncoder implements Encoder.Text<Chat> {

		@Override
		public String encode(Chat chat) throws EncodeException {
			return "[" + chat.from() + "] " + chat.text();
		}

	}

	/** Negotiates "chat.v2" before "chat.v1" and adds a header to the 101. */
	public static class ChatConfigurator extends ServerEndpointConfig.Configurator {

		@Override
		public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
			response.getHeaders().put("X-Chat", List.of("yes"));
			sec.getUserProperties().put("agent", String.valueOf(request.getHeaders().get("User-Agent")));
		}

	}

	@ServerEndpoint(value = "/jakarta/chat", subprotocols = { "chat.v2", "chat.v1" }, decoders = ChatDecoder.class,
			encoders = ChatEncoder.class, configurator = ChatConfigurator.class)
	public static class ChatEndpoint {

		@OnMessage
		public Chat chat(Chat chat, Session session) {
			return new Chat(chat.from() + "@" + session.getNegotiatedSubprotocol(), chat.text());
		}

	}

	/** A programmatic endpoint: echoes text with the async remote. */
	public static class ProgrammaticEcho extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			session.addMessageHandler(String.class, (MessageHandler.Whole<String>) (text) -> session.getAsyncRemote()
				.sendText("programmatic:" + text));
		}

		@Override
		public void onClose(Session session, CloseReason closeReason) {
			EVENTS.add("programmatic-closed:" + closeReason.getCloseCode().getCode());
		}

	}

}
