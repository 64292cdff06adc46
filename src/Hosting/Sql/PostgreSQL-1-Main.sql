-- Router: the PostgreSQL schema of Orleans' ADO.NET providers, part 1 of 3 (the query table).
--
-- src/Grains/Hosting/PostgresSchema.cs runs the three PostgreSQL-*.sql files in name order, at every
-- start of a silo or cluster client, in one transaction holding a transaction-scoped advisory lock.
-- So every statement here must be idempotent (IF NOT EXISTS, CREATE OR REPLACE, ON CONFLICT) and
-- must never drop or change stored state; only the rows of OrleansQuery are brought up to date.
--
-- The contract with Orleans:
--   * Orleans issues no SQL of its own except reading OrleansQuery (QueryKey, QueryText); every
--     other statement is a row of OrleansQuery, looked up by its key (InsertMembershipKey, ...).
--   * It binds parameters by name (DeploymentId, GrainIdHash, ...) and reads result columns by
--     name, case-insensitively, so those names are fixed; the SQL behind them is ours.
--   * Queries that report success return one row with one integer column: > 0 done, 0 not done
--     (for instance because the membership version moved on); nothing is half-applied on 0.
--   * ETags are integer versions that grow by one with every change.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);
