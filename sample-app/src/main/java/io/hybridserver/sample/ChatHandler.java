package io.hybridserver.sample;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chat room: every text message {@code {"name": "...", "text": "..."}} goes to every open session, its sender's
 * included (so a page shows what the server accepted, and every page the same order). Anything else closes the sender's
 * session with 1003 (unsupported data).
 */
class ChatHandler extends TextWebSocketHandler {

	/** Longer names and texts are cut: one visitor cannot make every other session carry a megabyte. */
	static final int MAX_NAME = 32;

	static final int MAX_TEXT = 500;

	/** A slow reader's queue: past it (or past the time) Spring's decorator closes that session, not the room. */
	private static final int SEND_TIME_LIMIT_MILLIS = 5_000;

	private static final int BUFFER_SIZE_LIMIT = 64 * 1024;

	private static final Log logger = LogFactory.getLog(ChatHandler.class);

	private final JsonMapper json;

	private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

	ChatHandler(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		// Sessions are written to from other sessions' threads: the decorator serialises those sends.
		this.sessions.add(new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS, BUFFER_SIZE_LIMIT));
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
		String name;
		String text;
		try {
			JsonNode node = this.json.readTree(message.getPayload());
			name = node.path("name").asString("").strip();
			text = node.path("text").asString("").strip();
		}
		catch (JacksonException ex) {
			name = "";
			text = "";
		}
		if (name.isEmpty() || text.isEmpty()) {
			session.close(CloseStatus.NOT_ACCEPTABLE.withReason("expected {\"name\": ..., \"text\": ...}"));
			return;
		}
		String outgoing = this.json.writeValueAsString(new ChatMessage(cut(name, MAX_NAME), cut(text, MAX_TEXT)));
		// One message at a time to everyone: without the lock, a reply sent by a quick reader while this loop is
		// still running could reach a third session before the message it answers (each session's messages are
		// handled on their own thread). A sample can afford the lock; sends of small messages return at once unless
		// a reader has stopped reading, and then Spring's decorator and the server's send timeout bound the wait.
		synchronized (this.sessions) {
			for (WebSocketSession each : this.sessions) {
				send(each, outgoing);
			}
		}
	}

	private void send(WebSocketSession session, String message) {
		if (!session.isOpen()) {
			return;
		}
		try {
			session.sendMessage(new TextMessage(message));
		}
		catch (IOException | RuntimeException ex) {
			// One reader that is gone or too slow must not stop the others from getting the message.
			logger.debug("Chat message not delivered to session " + session.getId(), ex);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.sessions.removeIf((each) -> each.getId().equals(session.getId()));
	}

	/** What every session receives; a record, so its fields are written in this order. */
	record ChatMessage(String name, String text) {
	}

	private static String cut(String value, int max) {
		if (value.length() <= max) {
			return value;
		}
		// Never half a surrogate pair: that would not encode as UTF-8.
		int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
		return value.substring(0, end);
	}

}
