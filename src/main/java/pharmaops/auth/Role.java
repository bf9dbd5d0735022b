package pharmaops.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The roles a token can carry. {@code admin} may do everything the others may. */
public enum Role {
  ATTENDANT, ANALYST, ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }

  public static Set<String> wireNames() {
    return Arrays.stream(values()).map(Role::wire).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }
}
