package pharmaops.erp;

/** A record that goes to the quarantine instead of the catalogue, with why and as it came. */
public record Rejected(String recordKey, String reason, String raw) {}
