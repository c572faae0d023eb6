package io.hybridserver.http;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ArrayHttpHeaders} answers as Netty's validating {@code DefaultHttpHeaders} answers, the same calls made on
 * both side by side: lookups without regard to case, order, {@code set} moving a field to the end, comma-separated
 * lists, and the same values refused.
 */
class ArrayHttpHeadersTest {

	@Test
	void aRequestsFieldsAreFoundWithoutRegardToCaseAndCannotChange() {
		ArrayHttpHeaders fields = ArrayHttpHeaders.requestFields(new CharSequence[] { HttpHeaderNames.HOST, "a",
				new AsciiString("X-Thing"), "1", "x-thing", "2", "Connection", "keep-alive, Upgrade" });
		assertThat(fields.get("host")).isEqualTo("a");
		assertThat(fields.get(HttpHeaderNames.HOST)).isEqualTo("a");
		assertThat(fields.getAll("X-THING")).containsExactly("1", "2");
		assertThat(fields.getAll("absent")).isEmpty();
		assertThat(fields.contains("x-thing")).isTrue();
		assertThat(fields.contains("x-thin")).isFalse();
		assertThat(fields.size()).isEqualTo(4);
		assertThat(fields.names()).containsExactly("host", "X-Thing", "x-thing", "Connection");
		assertThat(fields.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)).isTrue();
		assertThat(fields.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, false)).isFalse();
		assertThat(fields.containsValue(HttpHeaderNames.CONNECTION, "keep", true)).isFalse();
		assertThat(fields.contains(HttpHeaderNames.CONNECTION, "keep-alive", true)).isFalse();
		assertThat(fields.contains(HttpHeaderNames.CONNECTION, "KEEP-ALIVE, UPGRADE", true)).isTrue();
		assertThat(fields.getInt("x-thing")).isEqualTo(1);
		assertThatThrownBy(() -> fields.add("a", "b")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> fields.set(HttpHeaderNames.HOST, "b"))
			.isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> fields.remove("host")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(fields::clear).isInstanceOf(UnsupportedOperationException.class);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ArrayHttpHeaders.requestFields(new CharSequence[] { "odd" }));
	}

	@Test
	void aResponsesFieldsChangeAsNettysDo() {
		HttpHeaders ours = ArrayHttpHeaders.responseFields();
		HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().withValidation(true).newHeaders();
		for (HttpHeaders headers : List.of(ours, netty)) {
			headers.add("Content-Type", "text/plain");
			headers.add("Vary", "Accept");
			headers.add("vary", "Origin");
			headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
			headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 27);
			headers.add("X-Many", List.of("1", "2"));
			headers.add("Date", new Date(0));
			headers.remove("X-MANY");
			headers.set("Set-Cookie", List.of("a=1", "b=2"));
		}
		assertThat(fields(ours)).isEqualTo(fields(netty));
		assertThat(fields(ours)).containsExactly("Vary: Accept", "vary: Origin", "content-type: application/json",
				"content-length: 27", "Date: Thu, 01 Jan 1970 00:00:00 GMT", "Set-Cookie: a=1", "Set-Cookie: b=2");
		assertThat(ours.getAll("VARY")).isEqualTo(netty.getAll("VARY"));
		assertThat(ours.get("content-length")).isEqualTo("27");
		assertThat(ours.getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(27);
		assertThat(ours.entries()).isEqualTo(netty.entries());
		ours.clear();
		assertThat(ours.isEmpty()).isTrue();
		assertThat(ours.iteratorCharSequence().hasNext()).isFalse();
	}

	@Test
	void aResponseGrowsPastItsFirstArray() {
		ArrayHttpHeaders headers = ArrayHttpHeaders.responseFields();
		for (int i = 0; i < 40; i++) {
			headers.add("X-" + i, Integer.toString(i));
		}
		assertThat(headers.size()).isEqualTo(40);
		for (int i = 0; i < 40; i++) {
			assertThat(headers.nameAt(i).toString()).isEqualTo("X-" + i);
			assertThat(headers.valueAt(i).toString()).isEqualTo(Integer.toString(i));
		}
	}

	@Test
	void aResponseRefusesWhatWouldSplitAFieldAsNettyDoes() {
		HttpHeaders ours = ArrayHttpHeaders.responseFields();
		HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().withValidation(true).newHeaders();
		for (HttpHeaders headers : List.of(ours, netty)) {
			assertThatIllegalArgumentException().isThrownBy(() -> headers.set("X-A", "a\r\nSet-Cookie: evil=1"));
			assertThatIllegalArgumentException().isThrownBy(() -> headers.add("X-A", "a\nb"));
			assertThatIllegalArgumentException().isThrownBy(() -> headers.add("X A", "b"));
			assertThatIllegalArgumentException().isThrownBy(() -> headers.add("X:A", "b"));
			assertThatIllegalArgumentException().isThrownBy(() -> headers.add("", "b"));
			assertThatThrownBy(() -> headers.add("X-A", (Object) null)).isInstanceOf(NullPointerException.class);
			assertThat(headers.isEmpty()).isTrue();
		}
	}

	private static List<String> fields(HttpHeaders headers) {
		List<String> lines = new ArrayList<>();
		for (Map.Entry<CharSequence, CharSequence> field : (Iterable<Map.Entry<CharSequence, CharSequence>>) headers::iteratorCharSequence) {
			lines.add(field.getKey() + ": " + field.getValue());
		}
		return lines;
	}

}
