package pharmaops.search;

/**
 * Event-bus addresses of the search capability (request-reply; requesters should set a send timeout of a few
 * seconds). Errors come back as a failure whose code is the HTTP status (400 bad query, 404 unknown id).
 */
public final class SearchAddresses {
  /** Request {@code {"q", "size"?, "cursor"?, "page"?, "manufacturer"?, "category"?, "status"?}}; reply as GET /api/v1/bulas. */
  public static final String BULAS = "search.bulas";
  /** Request {@code {"id": long}}; reply as GET /api/v1/bulas/{id}. */
  public static final String BULA = "search.bula";

  private SearchAddresses() {}
}
