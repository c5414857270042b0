-- Session tokens are now stored as SHA-256 hashes (the server hashes every token it is shown before
-- looking it up). Rows written before hold the plaintext token, which no longer matches anything and is
-- itself a credential sitting in the database: delete them. Everyone signs in again once after upgrading.
-- Custom migration: keep it when migrations are regenerated.
DELETE FROM `sessions`;
