package pharmaops.auth;

/** The SQL of the token store, in one place. */
final class TokenSql {
  private TokenSql() {}

  static final String INSERT = """
      INSERT INTO api_token (subject, roles, token_hash, token_prefix, created_by, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6)
      RETURNING id, created_at""";

  static final String FIND_ACTIVE = """
      SELECT id, subject, roles FROM api_token
      WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())""";

  static final String LIST = """
      SELECT id, subject, roles, token_prefix, created_at, created_by, expires_at, revoked_at
      FROM api_token WHERE ($1 OR revoked_at IS NULL) ORDER BY created_at, id LIMIT 1000""";

  static final String REVOKE = """
      UPDATE api_token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING token_hash""";

  static final String HAS_ACTIVE_ADMIN = """
      SELECT EXISTS (SELECT 1 FROM api_token WHERE 'admin' = ANY (roles) AND revoked_at IS NULL
                     AND (expires_at IS NULL OR expires_at > now()))""";
}
