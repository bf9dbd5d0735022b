package pharmaops.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Issues, verifies and revokes API tokens. A token is 256 random bits; only its SHA-256 is stored, so a
 * database leak reveals no usable token. Verified tokens are cached in memory for a short time so that a
 * search does not pay a database round trip for authorisation; a revocation is broadcast on the event bus
 * ({@value #REVOKED_ADDRESS}) so that every node forgets the token at once, and the cache TTL bounds the
 * delay even if that message is lost.
 */
public final class TokenService {
  private static final Logger log = LoggerFactory.getLogger(TokenService.class);
  public static final String REVOKED_ADDRESS = "auth.token.revoked";
  static final String TOKEN_PREFIX = "pho_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Pool pool;
  private final byte[] bootstrapHash;
  /**
   * Recent verifications keyed by the token itself, so a cached check costs one map lookup instead of a
   * SHA-256 (this process sees every token in flight anyway); each entry keeps the token's hash, the key that
   * revocations name.
   */
  private final Cache<String, Verified> cache;

  private record Verified(String hashHex, Principal principal) {}
  private MessageConsumer<String> revocations;

  public TokenService(Vertx vertx, Pool pool, Optional<String> bootstrapAdminToken, int cacheSeconds) {
    this.vertx = vertx;
    this.pool = pool;
    this.bootstrapHash = bootstrapAdminToken.map(TokenService::sha256).orElse(null);
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(cacheSeconds)).build();
  }

  public Future<Void> start() {
    revocations = vertx.eventBus().consumer(REVOKED_ADDRESS, msg -> forget(msg.body()));
    return revocations.completion();
  }

  public Future<Void> stop() {
    return revocations == null ? Future.succeededFuture() : revocations.unregister();
  }

  /** The principal of a token, or null when the token is unknown, revoked or expired. */
  public Future<Principal> verify(String token) {
    Verified cached = cache.getIfPresent(token);
    if (cached != null) return Future.succeededFuture(cached.principal());
    byte[] hash = sha256(token);
    String key = HexFormat.of().formatHex(hash);
    if (bootstrapHash != null && MessageDigest.isEqual(hash, bootstrapHash)) {
      Principal admin = new Principal(null, "bootstrap-admin", EnumSet.of(Role.ADMIN));
      cache.put(token, new Verified(key, admin));
      return Future.succeededFuture(admin);
    }
    return pool.preparedQuery(TokenSql.FIND_ACTIVE).execute(Tuple.of(Buffer.buffer(hash))).map(rows -> {
      Principal p = rows.size() == 0 ? null : principal(rows.iterator().next());
      cache.put(token, new Verified(key, p));
      return p;
    });
  }

  /** Drops the cached verification of the token with this hash (revocations are rare: a scan is fine). */
  private void forget(String hashHex) {
    cache.asMap().values().removeIf(v -> v.hashHex().equals(hashHex));
  }

  /** A new token; the plain value is returned only here. */
  public Future<JsonObject> create(String subject, Set<Role> roles, Integer expiresInDays, String createdBy) {
    String token = newTokenValue();
    OffsetDateTime expires = expiresInDays == null ? null : OffsetDateTime.now(ZoneOffset.UTC).plusDays(expiresInDays);
    String[] roleNames = roles.stream().map(Role::wire).sorted().toArray(String[]::new);
    Tuple args = Tuple.of(subject, roleNames, Buffer.buffer(sha256(token)), token.substring(0, TOKEN_PREFIX.length() + 6),
        createdBy, expires);
    return pool.preparedQuery(TokenSql.INSERT).execute(args).map(rows -> {
      Row r = rows.iterator().next();
      log.info("api token created {} {} {}", kv("tokenId", r.getUUID("id")), kv("subject", subject), kv("createdBy", createdBy));
      return new JsonObject().put("id", r.getUUID("id").toString()).put("token", token).put("subject", subject)
          .put("roles", new JsonArray(java.util.List.of(roleNames)))
          .put("createdAt", r.getOffsetDateTime("created_at").toString())
          .put("expiresAt", expires == null ? null : expires.toString());
    });
  }

  public Future<JsonArray> list(boolean includeRevoked) {
    return pool.preparedQuery(TokenSql.LIST).execute(Tuple.of(includeRevoked)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("id", r.getUUID("id").toString()).put("subject", r.getString("subject"))
            .put("roles", new JsonArray(java.util.List.of(r.getArrayOfStrings("roles"))))
            .put("prefix", r.getString("token_prefix"))
            .put("createdAt", r.getOffsetDateTime("created_at").toString())
            .put("createdBy", r.getString("created_by"))
            .put("expiresAt", text(r.getOffsetDateTime("expires_at")))
            .put("revokedAt", text(r.getOffsetDateTime("revoked_at"))));
      }
      return out;
    });
  }

  /** Revokes a token; false when there is no such token. Every node drops it from its cache. */
  public Future<Boolean> revoke(UUID id) {
    return pool.preparedQuery(TokenSql.REVOKE).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) return false;
      String key = HexFormat.of().formatHex(rows.iterator().next().getBuffer("token_hash").getBytes());
      forget(key);
      vertx.eventBus().publish(REVOKED_ADDRESS, key);
      log.info("api token revoked {}", kv("tokenId", id));
      return true;
    });
  }

  /**
   * When no admin token exists at all (a fresh installation without {@code PHARMAOPS_ADMIN_TOKEN}), creates
   * one and writes it to {@code dataDir/admin-token}, readable by the owner only, so the first user can log in.
   */
  public Future<Void> ensureAdminExists(Path dataDir) {
    if (bootstrapHash != null) return Future.succeededFuture();
    return pool.query(TokenSql.HAS_ACTIVE_ADMIN).execute().compose(rows -> {
      if (rows.iterator().next().getBoolean(0)) return Future.succeededFuture();
      return create("initial-admin", EnumSet.of(Role.ADMIN), null, "bootstrap")
          .compose(created -> vertx.executeBlocking(() -> {
            Path file = dataDir.resolve("admin-token");
            Files.createDirectories(dataDir);
            Files.writeString(file, created.getString("token") + "\n", StandardCharsets.UTF_8);
            try {
              Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
              // not a POSIX file system; nothing more to restrict
            }
            log.warn("no admin token existed: created one and wrote it to {} (PHARMAOPS_ADMIN_TOKEN sets your own)",
                file.toAbsolutePath());
            return null;
          }));
    });
  }

  private static Principal principal(Row r) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String s : r.getArrayOfStrings("roles")) {
      try {
        roles.add(Role.fromWire(s));
      } catch (IllegalArgumentException e) {
        log.warn("ignoring unknown role in token store {} {}", kv("tokenId", r.getUUID("id")), kv("role", s));
      }
    }
    return new Principal(r.getUUID("id").toString(), r.getString("subject"), roles);
  }

  static String newTokenValue() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }

  static Set<Role> roles(java.util.List<String> wire) {
    return wire.stream().map(Role::fromWire).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
  }
}
