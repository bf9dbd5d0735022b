package pharmaops.erp;

import java.time.Instant;
import java.util.List;

/**
 * A validated, normalised catalogue record of one ERP: what the upsert writes. {@code eans} are sorted and
 * distinct, so records that differ only in EAN order are equal and a rerun writes nothing.
 */
public record Product(String externalId, String name, String registration, List<String> eans, String manufacturer,
                      String cnpj, List<String> activeIngredients, String category, String therapeuticClass,
                      String status, String presentation, Instant updatedAt) {

  /** The key the catalogue row is found by: registration, else the smallest EAN. */
  public String ownKey() {
    return registration != null ? registration : "ean:" + eans.get(0);
  }
}
