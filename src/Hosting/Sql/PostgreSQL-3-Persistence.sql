-- Router: the PostgreSQL schema of Orleans' ADO.NET providers, part 3 of 3 (grain state).
-- Idempotent; see PostgreSQL-1-Main.sql for how and when it runs.
--
-- One table holds every grain storage of every service (the router's "sessions" and "PubSubStore"
-- among them). A grain's state is found by its hashes (indexed) and then by its exact key columns;
-- Version is the ETag: NULL in Orleans means "never written", and every write adds one.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer       NOT NULL,
    GrainIdN0              bigint        NOT NULL,
    GrainIdN1              bigint        NOT NULL,
    GrainTypeHash          integer       NOT NULL,
    GrainTypeString        varchar(512)  NOT NULL,
    GrainIdExtensionString varchar(512)  NULL,
    ServiceId              varchar(150)  NOT NULL,
    PayloadBinary          bytea         NULL,
    ModifiedOn             timestamptz   NOT NULL,
    Version                integer       NULL
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage USING btree (GrainIdHash, GrainTypeHash);

-- Writes a grain's state. p_version NULL: the state was never written, insert it (1); otherwise
-- update the row only if it still has p_version (p_version + 1). Anything else returns p_version
-- unchanged, which Orleans reports as an inconsistent state (another activation wrote first).
CREATE OR REPLACE FUNCTION router_storage_write(
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_type_hash  integer,
    p_grain_type       varchar,
    p_grain_id_ext     varchar,
    p_service_id       varchar,
    p_version          integer,
    p_payload          bytea)
RETURNS TABLE (NewGrainStateVersion integer)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_rows integer;
BEGIN
    IF p_version IS NOT NULL THEN
        UPDATE OrleansStorage AS s
        SET PayloadBinary = p_payload, ModifiedOn = now(), Version = s.Version + 1
        WHERE s.GrainIdHash = p_grain_id_hash AND s.GrainTypeHash = p_grain_type_hash
          AND s.GrainIdN0 = p_grain_id_n0 AND s.GrainIdN1 = p_grain_id_n1
          AND s.GrainTypeString = p_grain_type
          AND s.GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_ext
          AND s.ServiceId = p_service_id
          AND s.Version = p_version;

        GET DIAGNOSTICS v_rows = ROW_COUNT;
        RETURN QUERY SELECT CASE WHEN v_rows > 0 THEN p_version + 1 ELSE p_version END;
        RETURN;
    END IF;

    -- First write of this grain: serialise concurrent first writes of the same grain (the lock ends
    -- with the transaction), so exactly one of them inserts and the others see its row.
    PERFORM pg_advisory_xact_lock(p_grain_id_hash, p_grain_type_hash);

    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type, p_grain_id_ext,
           p_service_id, p_payload, now(), 1
    WHERE NOT EXISTS
    (
        SELECT 1
        FROM OrleansStorage AS s
        WHERE s.GrainIdHash = p_grain_id_hash AND s.GrainTypeHash = p_grain_type_hash
          AND s.GrainIdN0 = p_grain_id_n0 AND s.GrainIdN1 = p_grain_id_n1
          AND s.GrainTypeString = p_grain_type
          AND s.GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_ext
          AND s.ServiceId = p_service_id
    );

    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN QUERY SELECT CASE WHEN v_rows > 0 THEN 1 ELSE NULL::integer END;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey', $q$
    SELECT NewGrainStateVersion FROM router_storage_write(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
$q$
),
(
    -- No row: Orleans starts the grain from its default state with no ETag.
    'ReadFromStorageKey', $q$
    SELECT PayloadBinary, ModifiedOn, Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL;
$q$
),
(
    -- Clear keeps the row (payload NULL) and its growing version.
    'ClearStorageKey', $q$
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version AS NewGrainStateVersion;
$q$
),
(
    -- Used instead of ClearStorageKey when the storage deletes state on clear (the PubSubStore).
    'DeleteStorageKey', $q$
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version + 1 AS NewGrainStateVersion;
$q$
)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
