-- Partner returns, version 8: return_change lists only what is kept nowhere else.
--
-- The evidence an import adds and the status changes it makes are rows written with the
-- return's id (evidence.return_id, status_change.return_id, with their stamps and the statuses
-- before and after), so an import no longer lists them again in return_change: it lists the
-- indicator values it added or replaced (a replaced value's fields are kept nowhere else).
-- Listing every change was two thirds of the rows a 5,000-row return wrote, recorded again in
-- its activity entry. Imports recorded before this version list every change, and keep
-- lists_every_change = 1: revert takes them back from that list, as before.

ALTER TABLE partner_return ADD COLUMN lists_every_change INTEGER NOT NULL DEFAULT 1
    CHECK (lists_every_change IN (0, 1));
