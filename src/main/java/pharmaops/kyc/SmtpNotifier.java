package pharmaops.kyc;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.SMTPException;
import io.vertx.ext.mail.StartTLSOptions;

import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Reminders as e-mail through the configured SMTP server. The Message-ID is derived from the idempotency key so a
 * mailbox (or an operator reading the ledger) can match a message to its ledger row.
 */
public final class SmtpNotifier implements Notifier {
  private final MailClient client;
  private final KycConfig.Smtp cfg;

  public SmtpNotifier(Vertx vertx, KycConfig.Smtp cfg) {
    this.cfg = cfg;
    MailConfig mc = new MailConfig()
        .setHostname(cfg.host())
        .setPort(cfg.port())
        .setSsl(cfg.ssl())
        .setStarttls(StartTLSOptions.valueOf(cfg.starttls().toUpperCase(Locale.ROOT)))
        .setMaxPoolSize(cfg.poolSize())
        .setKeepAlive(true)
        .setConnectTimeout(Math.min(cfg.timeoutMs(), 10_000))
        .setIdleTimeout(cfg.timeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (cfg.username().isPresent() && cfg.password().isPresent()) {
      mc.setLogin(LoginOption.REQUIRED).setUsername(cfg.username().get()).setPassword(cfg.password().get());
    } else {
      mc.setLogin(LoginOption.DISABLED);
    }
    this.client = MailClient.create(vertx, mc);
  }

  @Override
  public String channel() {
    return "smtp";
  }

  @Override
  public boolean resendIsIdempotent() {
    return false;
  }

  /** {@code <kyc.42.2026-W48@pharmaops>}: the key, in the characters a Message-ID allows. */
  static String messageId(Reminder r) {
    return "<" + r.idempotencyKey().replace(':', '.') + "@pharmaops>";
  }

  @Override
  public Future<Void> send(Reminder r) {
    MailMessage m = new MailMessage()
        .setFrom(cfg.from())
        .setTo(r.email())
        .setSubject("Pending documents for your account")
        .setText(Texts.reminderBody(r))
        .setHeaders(MultiMap.caseInsensitiveMultiMap()
            .add("Message-ID", messageId(r))
            .add("X-Idempotency-Key", r.idempotencyKey()));
    return client.sendMail(m)
        .timeout(cfg.timeoutMs(), TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(classify(e)));
  }

  /**
   * A reply code means the server answered and refused, so the message was not taken; so does a refused
   * connection. Anything else (timeout, reset) may have happened after the server accepted the data.
   */
  private static DeliveryException classify(Throwable e) {
    boolean notDelivered = e instanceof SMTPException || e instanceof ConnectException
        || (e.getMessage() != null && e.getMessage().contains("Connection refused"));
    return new DeliveryException("smtp: " + e, notDelivered, e);
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
