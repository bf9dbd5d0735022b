/**
 * KYC reminders: a periodic run selects, in one indexed query, the customers whose verification is due, fans out
 * one job per customer, and each job sends at most one reminder per customer and period (reminder ledger).
 */
package pharmaops.kyc;
