package io.hybridserver.apps.async;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Every way Spring MVC goes asynchronous, plus plain servlets that drive {@link AsyncContext} directly. Tests steer
 * the application through {@link Gates}: a handler waits on a named gate, so that the test decides when the next
 * event is sent or a result is set.
 */
@SpringBootApplication
public class AsyncTestApplication {

	static final ExecutorService POOL = Executors.newCachedThreadPool();

	/** Named latches and pending results shared between a test and the application. */
	public static final class Gates {

		private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();

		private final Map<String, DeferredResult<String>> deferred = new ConcurrentHashMap<>();

		/** What the raw async servlets' listeners heard, in order. */
		public final List<String> events = new CopyOnWriteArrayList<>();

		public CountDownLatch gate(String name) {
			return this.latches.computeIfAbsent(name, (key) -> new CountDownLatch(1));
		}

		public void open(String name) {
			gate(name).countDown();
		}

		void await(String name) {
			try {
				if (!gate(name).await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("Gate " + name + " was never opened");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		public boolean hasDeferred(String key) {
			return this.deferred.containsKey(key);
		}

		public void resolve(String key, String value) {
			this.deferred.remove(key).setResult(value);
		}

	}

	@Bean
	Gates gates() {
		return new Gates();
	}

	@Bean
	ServletRegistrationBean<HttpServlet> rawAsyncServlet(Gates gates) {
		ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(new RawAsyncServlet(gates),
				"/raw/*");
		registration.setAsyncSupported(true);
		return registration;
	}

	@Bean
	ServletRegistrationBean<HttpServlet> syncOnlyServlet() {
		ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				response.getWriter().print("supported=" + request.isAsyncSupported());
				try {
					request.startAsync();
					response.getWriter().print(", started");
				}
				catch (IllegalStateException ex) {
					response.getWriter().print(", refused");
				}
			}

		}, "/sync-only");
		registration.setAsyncSupported(false);
		return registration;
	}

	@Bean
	ServletRegistrationBean<HttpServlet> nonBlockingEchoServlet() {
		ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(new NonBlockingEchoServlet(),
				"/nio-echo");
		registration.setAsyncSupported(true);
		return registration;
	}

	@Bean
	ServletRegistrationBean<HttpServlet> nonBlockingStreamServlets(Gates gates) {
		ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(
				new NonBlockingStreamServlet(gates), "/nio/*");
		registration.setAsyncSupported(true);
		return registration;
	}

	/**
	 * {@code GET /nio/write?mib=N}: writes N MiB only while isReady(), recording when it had to stop. {@code POST
	 * /nio/read}: reads only while isReady(), recording each time the client made it wait.
	 */
	static final class NonBlockingStreamServlet extends HttpServlet {

		private final Gates gates;

		NonBlockingStreamServlet(Gates gates) {
			this.gates = gates;
		}

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			AsyncContext async = request.startAsync();
			async.setTimeout(60_000);
			long total = Long.parseLong(request.getParameter("mib")) * 1024 * 1024;
			response.setContentType("application/octet-stream");
			jakarta.servlet.ServletOutputStream out = response.getOutputStream();
			byte[] chunk = new byte[64 * 1024];
			out.setWriteListener(new jakarta.servlet.WriteListener() {

				private long written;

				@Override
				public void onWritePossible() throws IOException {
					while (out.isReady()) {
						if (this.written >= total) {
							NonBlockingStreamServlet.this.gates.events.add("write done " + this.written);
							async.complete();
							return;
						}
						out.write(chunk);
						this.written += chunk.length;
					}
					NonBlockingStreamServlet.this.gates.events.add("write paused");
				}

				@Override
				public void onError(Throwable failure) {
					NonBlockingStreamServlet.this.gates.events.add("write error");
				}

			});
		}

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			AsyncContext async = request.startAsync();
			async.setTimeout(60_000);
			jakarta.servlet.ServletInputStream in = request.getInputStream();
			in.setReadListener(new jakarta.servlet.ReadListener() {

				private long read;

				@Override
				public void onDataAvailable() throws IOException {
					byte[] buffer = new byte[1024];
					int n;
					while (in.isReady() && (n = in.read(buffer)) != -1) {
						this.read += n;
					}
					if (!in.isFinished()) {
						NonBlockingStreamServlet.this.gates.events.add("read waits after " + this.read);
					}
				}

				@Override
				public void onAllDataRead() throws IOException {
					response.getWriter().print("read " + this.read);
					async.complete();
				}

				@Override
				public void onError(Throwable failure) {
					async.complete();
				}

			});
		}

	}

	/** Reads the body with a ReadListener, then writes it back with a WriteListener. */
	static final class NonBlockingEchoServlet extends HttpServlet {

		@Override
		protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
			AsyncContext async = request.startAsync();
			jakarta.servlet.ServletInputStream in = request.getInputStream();
			java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
			in.setReadListener(new jakarta.servlet.ReadListener() {

				@Override
				public void onDataAvailable() throws IOException {
					byte[] buffer = new byte[4096];
					int n;
					while (in.isReady() && (n = in.read(buffer)) != -1) {
						received.write(buffer, 0, n);
					}
				}

				@Override
				public void onAllDataRead() throws IOException {
					jakarta.servlet.ServletOutputStream out = response.getOutputStream();
					out.setWriteListener(new jakarta.servlet.WriteListener() {

						@Override
						public void onWritePossible() throws IOException {
							if (out.isReady()) {
								out.write(("echo " + received.size() + " bytes").getBytes());
								async.complete();
							}
						}

						@Override
						public void onError(Throwable failure) {
							async.complete();
						}

					});
				}

				@Override
				public void onError(Throwable failure) {
					async.complete();
				}

			});
		}

	}

	/** Drives AsyncContext directly: complete from another thread, dispatch to a path, time out, listeners. */
	static final class RawAsyncServlet extends HttpServlet {

		private final Gates gates;

		RawAsyncServlet(Gates gates) {
			this.gates = gates;
		}

		@Override
		protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
			String what = request.getPathInfo();
			if ("/target".equals(what)) {
				response.setContentType("text/plain");
				response.getWriter().print("target " + request.getDispatcherType() + " from "
						+ request.getAttribute(AsyncContext.ASYNC_REQUEST_URI) + " query "
						+ request.getAttribute(AsyncContext.ASYNC_QUERY_STRING) + " uri " + request.getRequestURI());
				return;
			}
			AsyncContext async = request.startAsync();
			async.addListener(new AsyncListener() {

				@Override
				public void onComplete(AsyncEvent event) {
					RawAsyncServlet.this.gates.events.add(what + " complete");
				}

				@Override
				public void onTimeout(AsyncEvent event) {
					RawAsyncServlet.this.gates.events.add(what + " timeout");
				}

				@Override
				public void onError(AsyncEvent event) {
					RawAsyncServlet.this.gates.events.add(what + " error");
				}

				@Override
				public void onStartAsync(AsyncEvent event) {
				}

			});
			switch (what) {
				case "/complete" -> async.start(() -> {
					try {
						async.getResponse().setContentType("text/plain");
						async.getResponse().getWriter().print("completed on " + Thread.currentThread().getName());
					}
					catch (IOException ex) {
						throw new IllegalStateException(ex);
					}
					async.complete();
				});
				case "/dispatch" -> POOL.execute(() -> async.dispatch("/raw/target"));
				case "/early-dispatch" -> async.dispatch("/raw/target");
				case "/timeout" -> async.setTimeout(300);
				default -> throw new IllegalArgumentException(what);
			}
		}

	}

	@RestController
	static class AsyncController {

		private final Gates gates;

		AsyncController(Gates gates) {
			this.gates = gates;
		}

		@GetMapping("/deferred")
		DeferredResult<String> deferred(@RequestParam String key) {
			DeferredResult<String> result = new DeferredResult<>();
			this.gates.deferred.put(key, result);
			return result;
		}

		@GetMapping("/deferred/never")
		DeferredResult<String> never() {
			// No timeout of its own: spring.mvc.async.request-timeout applies.
			return new DeferredResult<>();
		}

		@GetMapping("/callable")
		Callable<String> callable() {
			String requestThread = Thread.currentThread().getName();
			return () -> "callable ran on another thread: " + !Thread.currentThread().getName().equals(requestThread);
		}

		@GetMapping("/web-async-task")
		WebAsyncTask<String> webAsyncTask() {
			WebAsyncTask<String> task = new WebAsyncTask<>(300, () -> {
				// Spring interrupts the task on timeout; ignoring that for a while lets the timeout's answer win.
				long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
				while (System.nanoTime() < until) {
					try {
						Thread.sleep(50);
					}
					catch (InterruptedException ex) {
						// keep going
					}
				}
				return "too late";
			});
			task.onTimeout(() -> "timed out politely");
			return task;
		}

		@GetMapping("/sse")
		SseEmitter sse() {
			SseEmitter emitter = new SseEmitter(30_000L);
			POOL.execute(() -> {
				try {
					emitter.send(SseEmitter.event().name("tick").data("one"));
					this.gates.await("sse-second");
					emitter.send(SseEmitter.event().name("tick").data("two"));
					this.gates.await("sse-third");
					emitter.send(SseEmitter.event().name("tick").data("three"));
					emitter.complete();
				}
				catch (Exception ex) {
					emitter.completeWithError(ex);
				}
			});
			return emitter;
		}

		/** Sends one event, then waits (a minute) for events that never come: only the client can end it early. */
		@GetMapping("/sse-hold")
		SseEmitter sseHold() throws IOException {
			SseEmitter emitter = new SseEmitter(60_000L);
			emitter.onCompletion(() -> this.gates.events.add("sse-hold completed"));
			emitter.onError((ex) -> this.gates.events.add("sse-hold error"));
			emitter.send(SseEmitter.event().data("first"));
			return emitter;
		}

		@GetMapping("/emitter")
		ResponseBodyEmitter emitter() {
			ResponseBodyEmitter emitter = new ResponseBodyEmitter();
			POOL.execute(() -> {
				try {
					for (int i = 1; i <= 3; i++) {
						emitter.send("line " + i + "\n", MediaType.TEXT_PLAIN);
					}
					emitter.complete();
				}
				catch (Exception ex) {
					emitter.completeWithError(ex);
				}
			});
			return emitter;
		}

		@GetMapping("/streaming")
		StreamingResponseBody streaming(@RequestParam int kib) {
			return (out) -> {
				byte[] chunk = new byte[1024];
				java.util.Arrays.fill(chunk, (byte) 'z');
				for (int i = 0; i < kib; i++) {
					out.write(chunk);
				}
			};
		}

		@GetMapping("/sleep")
		String sleep(@RequestParam long millis) throws InterruptedException {
			Thread.sleep(Duration.ofMillis(millis).toMillis());
			return "slept";
		}

	}

}
