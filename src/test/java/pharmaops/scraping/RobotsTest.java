package pharmaops.scraping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RobotsTest {
  @Test
  void ourOwnGroupWinsOverTheStarGroup() {
    Robots r = Robots.parse("User-agent: *\nDisallow: /\n\nUser-agent: pharmaops-scraper\nDisallow: /admin\n", "pharmaops-scraper/1.0");
    assertThat(r.allows("/tarefas")).isTrue();
    assertThat(r.allows("/admin/x")).isFalse();
  }

  @Test
  void longestMatchWinsAndWildcardsWork() {
    Robots r = Robots.parse("User-agent: *\nDisallow: /tarefas\nAllow: /tarefas/publicas\nDisallow: /*.pdf$\n", "pharmaops-scraper/1.0");
    assertThat(r.allows("/tarefas/secretas")).isFalse();
    assertThat(r.allows("/tarefas/publicas?page=2")).isTrue();
    assertThat(r.allows("/regulamento.pdf")).isFalse();
    assertThat(r.allows("/regulamento.pdf?x=1")).isTrue();
  }

  @Test
  void emptyDisallowAllowsEverything() {
    assertThat(Robots.parse("User-agent: *\nDisallow:\n", "x").allows("/a")).isTrue();
  }

  @Test
  void wildcardsInsideAPathAndAnchorsMatchTheWholePathOnlyWhenAnchored() {
    Robots r = Robots.parse("User-agent: *\nDisallow: /*/rascunho\nDisallow: /fotos$\n", "pharmaops-scraper/1.0");
    assertThat(r.allows("/tarefas/rascunho/1")).isFalse();
    assertThat(r.allows("/tarefas/publicas")).isTrue();
    assertThat(r.allows("/fotos")).isFalse();
    assertThat(r.allows("/fotos/1")).isTrue();
    assertThat(r.allows("/x/fotos")).isTrue();
  }
}
