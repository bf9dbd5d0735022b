package pharmaops.kyc;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pharmaops.support.TestServices;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The selection query against a real PostgreSQL: who is selected, paging, and the plan it runs with. */
class KycSelectionIT {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  static final List<String> ACTIVE = List.of("active");
  static Vertx vertx;
  static KycDb db;
  static CustomerSelection selection;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    db = new KycDb(vertx, TestServices.freshDatabase(), 4);
    selection = new CustomerSelection(db.pool, new SimpleMeterRegistry().timer("t"));
  }

  @AfterAll
  static void stop() {
    db.close();
    vertx.close().await();
  }

  private static List<Long> selectAll(LocalDate from, LocalDate until, List<String> statuses, int pageSize) {
    List<Long> ids = new ArrayList<>();
    var cursor = CustomerSelection.Cursor.before(from);
    while (true) {
      var page = selection.page(from, until, statuses, cursor, pageSize).await();
      ids.addAll(page.ids());
      if (page.next() == null || page.last(pageSize)) return ids;
      cursor = page.next();
    }
  }

  @Test
  void selectsOnlyVerifiedRequestedCustomersInStatusDueWithinTheWindowAndNoDisabledSubAccounts() {
    long dueToday = db.due("today@x", TODAY, 0);
    long justInside = db.due("inside@x", TODAY, 30);
    long justOutside = db.due("outside@x", TODAY, 31);
    long overdue = db.due("overdue@x", TODAY, -1);
    long unverified = db.customer("unverified@x", "active", false, null,
        Map.of("verification_due_date", TODAY.plusDays(5).toString(), "verification_requested", "true"), Map.of());
    long suspended = db.customer("suspended@x", "suspended", true, null,
        Map.of("verification_due_date", TODAY.plusDays(5).toString(), "verification_requested", "true"), Map.of());
    long notRequested = db.customer("norequest@x", "active", true, null,
        Map.of("verification_due_date", TODAY.plusDays(5).toString(), "verification_requested", "false"), Map.of());
    long noRequestRow = db.customer("norow@x", "active", true, null,
        Map.of("verification_due_date", TODAY.plusDays(5).toString()), Map.of());
    long parent = db.due("parent@x", TODAY, 3);
    long disabledSub = db.customer("sub-disabled@x", "active", true, parent, Map.of("verification_due_date",
        TODAY.plusDays(5).toString(), "verification_requested", "true", "disabled_subaccount", "true"), Map.of());
    long enabledSub = db.customer("sub-enabled@x", "active", true, parent, Map.of("verification_due_date",
        TODAY.plusDays(5).toString(), "verification_requested", "true", "disabled_subaccount", "false"), Map.of());
    long flaggedButNoParent = db.customer("noparent@x", "active", true, null, Map.of("verification_due_date",
        TODAY.plusDays(6).toString(), "verification_requested", "true", "disabled_subaccount", "true"), Map.of());

    List<Long> ids = selectAll(TODAY, TODAY.plusDays(30), ACTIVE, 100);

    assertThat(ids).containsExactlyInAnyOrder(dueToday, justInside, parent, enabledSub, flaggedButNoParent);
    assertThat(ids).doesNotContain(justOutside, overdue, unverified, suspended, notRequested, noRequestRow, disabledSub);
    assertThat(selectAll(TODAY, TODAY.plusDays(30), List.of("active", "suspended"), 100))
        .as("the status set is configuration").contains(suspended);
  }

  @Test
  void pagesWalkTheWindowOnceWithoutGapsOrRepeats() {
    LocalDate day = TODAY.plusYears(1); // a window of its own, away from the other test's customers
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) expected.add(db.due("page" + i + "@x", day, i % 4));
    db.customer("page-unverified@x", "active", false, null,
        Map.of("verification_due_date", day.plusDays(1).toString(), "verification_requested", "true"), Map.of());

    List<Long> bySmallPages = selectAll(day, day.plusDays(10), ACTIVE, 3);

    assertThat(bySmallPages).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
    assertThat(bySmallPages).isEqualTo(selectAll(day, day.plusDays(10), ACTIVE, 1000));
  }

  @Test
  void selectionUsesTheIndexesAndNeverScansTheAttributeTable() {
    try (KycDb big = new KycDb(vertx, TestServices.freshDatabase(), 2)) {
      // The scale: 1,000,000 customers, 5,000,000 attribute rows (about a minute to generate on 2 cores);
      // ANALYZE (in the script) gives the planner real statistics. A plan that scans the attributes only shows at
      // this size: at 40,000 customers a sequential scan can look as cheap as the indexes.
      big.generate(1_000_000, TODAY);
      var sel = new CustomerSelection(big.pool, new SimpleMeterRegistry().timer("t"));
      var first = sel.page(TODAY, TODAY.plusDays(30), ACTIVE, CustomerSelection.Cursor.before(TODAY), 2000).await();
      assertThat(first.ids()).as("the generated data has due customers").isNotEmpty();

      for (int pageSize : new int[] {200, 2000}) {
        SelectionPlan plan = SelectionPlan.explain(big.pool, TODAY, TODAY.plusDays(30), pageSize);

        assertThat(plan.seqScansOf("kyc_customer_attribute")).as("plan for pages of %d:%n%s", pageSize, plan.text()).isZero();
        assertThat(plan.indexes()).contains("kyc_attr_due_idx", "kyc_attr_requested_idx");
      }
    }
  }
}
