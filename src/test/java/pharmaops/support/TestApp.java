package pharmaops.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pharmaops.App;
import pharmaops.platform.AppConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A whole pharmaops node for integration tests, on a free port with its own database, and a blocking
 * HTTP client to talk to it the way a real client does.
 */
public final class TestApp implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final App app;

  private TestApp(App app) {
    this.app = app;
  }

  public static TestApp start() {
    return start(new JsonObject());
  }

  public static TestApp start(JsonObject overrides) {
    return start(TestServices.config(overrides));
  }

  public static TestApp start(AppConfig config) {
    try {
      return new TestApp(App.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("test node did not start", e);
    }
  }

  public App app() {
    return app;
  }

  public int port() {
    return app.port();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + app.port() + path;
  }

  public Resp get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  public Resp post(String path, String token, String body) {
    return send(request(path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public Resp delete(String path, String token) {
    return send(request(path, token).DELETE().build());
  }

  public Resp send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  /** A new API token holding these roles, created through the API as the bootstrap admin. */
  public String tokenWithRoles(String... roles) {
    JsonObject body = new JsonObject().put("subject", "test-" + String.join("-", roles)).put("roles", new JsonArray(java.util.List.of(roles)));
    Resp r = post("/api/v1/tokens", ADMIN_TOKEN, body.encode());
    if (r.status() != 201) throw new IllegalStateException("cannot create token: " + r);
    return r.json().getString("token");
  }

  @Override
  public void close() {
    try {
      app.stop().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test node did not stop", e);
    }
  }

  public record Resp(int status, String contentType, String body, HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
    }
  }
}
