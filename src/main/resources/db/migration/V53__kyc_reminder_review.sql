-- KYC: ledger rows left in 'review' get an id, to be listed with a keyset cursor and resolved over HTTP.
ALTER TABLE kyc_reminder ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
                         ADD COLUMN resolved_by text;                -- who resolved a review as sent
CREATE UNIQUE INDEX kyc_reminder_id_idx ON kyc_reminder (id);
CREATE INDEX kyc_reminder_to_review_idx ON kyc_reminder (id) WHERE state = 'review';
