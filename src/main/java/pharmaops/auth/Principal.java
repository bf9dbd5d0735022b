package pharmaops.auth;

import java.util.Arrays;
import java.util.Set;

/**
 * The caller behind a token.
 *
 * @param tokenId the token's id, or null for the bootstrap admin token from the environment
 */
public record Principal(String tokenId, String subject, Set<Role> roles) {
  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }

  /** True when the caller holds any of the roles, or is an admin. */
  public boolean mayActAs(Role... anyOf) {
    return isAdmin() || Arrays.stream(anyOf).anyMatch(roles::contains);
  }
}
