-- Router: the PostgreSQL schema of Orleans' ADO.NET providers, part 2 of 3 (cluster membership).
-- Idempotent; see PostgreSQL-1-Main.sql for how and when it runs.
--
-- One version row per cluster (DeploymentId = Orleans:ClusterId): every change of the cluster's
-- membership must name the version it read and bumps it, so two silos cannot both win a race.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port and generation, i.e. start time).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- The functions carry a router_ prefix so that they never collide with functions of the same
-- purpose (other names, other argument names) created in a shared database by other scripts.

-- Creates the cluster's version row; 1 if it was created, 0 if it existed already.
CREATE OR REPLACE FUNCTION router_membership_insert_version(p_deployment_id varchar)
RETURNS TABLE (affected integer)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_rows integer;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (p_deployment_id)
    ON CONFLICT (DeploymentId) DO NOTHING;

    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN QUERY SELECT v_rows;
END
$body$;

-- Adds a silo's row and bumps the version, both or neither: 1 done, 0 when the row exists already
-- or the version is no longer p_version.
CREATE OR REPLACE FUNCTION router_membership_insert(
    p_deployment_id  varchar,
    p_address        varchar,
    p_port           integer,
    p_generation     integer,
    p_silo_name      varchar,
    p_host_name      varchar,
    p_status         integer,
    p_proxy_port     integer,
    p_start_time     timestamptz,
    p_i_am_alive     timestamptz,
    p_version        integer)
RETURNS TABLE (affected integer)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_rows integer;
BEGIN
    BEGIN
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES
            (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port, p_start_time, p_i_am_alive)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

        GET DIAGNOSTICS v_rows = ROW_COUNT;
        IF v_rows > 0 THEN
            UPDATE OrleansMembershipVersionTable
            SET Version = Version + 1, Timestamp = now()
            WHERE DeploymentId = p_deployment_id AND Version = p_version;

            GET DIAGNOSTICS v_rows = ROW_COUNT;
            IF v_rows = 0 THEN
                -- Someone else changed the membership first: undo the insert (this block's savepoint).
                RAISE EXCEPTION USING ERRCODE = 'RT409', MESSAGE = 'membership version moved on';
            END IF;
        END IF;
    EXCEPTION
        WHEN SQLSTATE 'RT409' THEN
            v_rows := 0;
    END;

    RETURN QUERY SELECT v_rows;
END
$body$;

-- Changes a silo's status and suspicions and bumps the version, both or neither: 1 done, 0 when
-- the version is no longer p_version or the row does not exist.
CREATE OR REPLACE FUNCTION router_membership_update(
    p_deployment_id  varchar,
    p_address        varchar,
    p_port           integer,
    p_generation     integer,
    p_status         integer,
    p_suspect_times  varchar,
    p_i_am_alive     timestamptz,
    p_version        integer)
RETURNS TABLE (affected integer)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_rows integer;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = p_deployment_id AND Version = p_version;

        GET DIAGNOSTICS v_rows = ROW_COUNT;
        IF v_rows > 0 THEN
            UPDATE OrleansMembershipTable
            SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive
            WHERE DeploymentId = p_deployment_id
              AND Address = p_address AND Port = p_port AND Generation = p_generation;

            GET DIAGNOSTICS v_rows = ROW_COUNT;
            IF v_rows = 0 THEN
                -- No such silo: undo the version bump (this block's savepoint).
                RAISE EXCEPTION USING ERRCODE = 'RT404', MESSAGE = 'no such membership row';
            END IF;
        END IF;
    EXCEPTION
        WHEN SQLSTATE 'RT404' THEN
            v_rows := 0;
    END;

    RETURN QUERY SELECT v_rows;
END
$body$;

-- The queries. Rows are replaced when their text differs, so a new release's queries take over at
-- its first start; unchanged rows are left alone.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'InsertMembershipVersionKey', $q$
    SELECT affected FROM router_membership_insert_version(@DeploymentId);
$q$
),
(
    'InsertMembershipKey', $q$
    SELECT affected FROM router_membership_insert(
        @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$
),
(
    'UpdateMembershipKey', $q$
    SELECT affected FROM router_membership_update(
        @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version);
$q$
),
(
    -- The heartbeat: not versioned, never reported as failed.
    'UpdateIAmAlivetimeKey', $q$
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
      AND Address = @Address AND @Address IS NOT NULL
      AND Port = @Port AND @Port IS NOT NULL
      AND Generation = @Generation AND @Generation IS NOT NULL;
$q$
),
(
    -- The version row always comes back (outer join), with the silo's columns NULL when it has no row.
    'MembershipReadRowKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON m.DeploymentId = v.DeploymentId
       AND m.Address = @Address AND @Address IS NOT NULL
       AND m.Port = @Port AND @Port IS NOT NULL
       AND m.Generation = @Generation AND @Generation IS NOT NULL
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$
),
(
    'MembershipReadAllKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$
),
(
    'DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
    DELETE FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$
),
(
    -- What clients use to find gateways: the live silos (Status = Active) that have one.
    'GatewaysQueryKey', $q$
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
      AND Status = @Status AND @Status IS NOT NULL
      AND ProxyPort > 0;
$q$
),
(
    -- Removes rows of silos silent since the given time, except live ones (Status 3 = Active).
    'CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
      AND IAmAliveTime < @IAmAliveTime
      AND Status <> 3;
$q$
)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText
WHERE OrleansQuery.QueryText IS DISTINCT FROM EXCLUDED.QueryText;
