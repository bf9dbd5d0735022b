package pharmaops.kyc;

/** The words customers read; one place so they can be reviewed (and translated) together. */
final class Texts {
  private Texts() {}

  static String reminderBody(Reminder r) {
    return "Hello " + r.name() + ",\n\n"
        + "to keep your account active we still need these documents: " + String.join(", ", r.documents()) + ".\n"
        + "Please send them before your verification due date.\n\n"
        + "Reference: " + r.idempotencyKey() + "\n";
  }
}
