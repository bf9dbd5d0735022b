package pharmaops.erp;

import java.time.Instant;
import java.util.List;

/**
 * One product as an adapter read it, already in catalogue terms but not yet validated (see {@link Records}).
 *
 * @param externalId the ERP's own id of the record (quarantine key), may be null
 * @param updatedAt  the ERP's last change of the record, in its own clock (incremental cursor), may be null
 * @param raw        the record as the ERP sent it ({@code toString()}), rendered only if it goes to the quarantine
 */
public record ErpRecord(String externalId, String name, String registration, List<String> eans, String manufacturer,
                        String cnpj, List<String> activeIngredients, String category, String therapeuticClass,
                        String status, String presentation, Instant updatedAt, Object raw) {}
