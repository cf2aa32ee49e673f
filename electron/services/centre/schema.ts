import type pg from 'pg';

import { StudioError } from '../../../shared/api/result';
import { codeInvalidState } from './pg-errors';

// The centre's PostgreSQL schema `harvest`, made by the centre host (its admin URL). Studios log
// in as their own role (a member of `harvest_studio`) and can only: upsert their own rows of
// `sales` and their own `cursors` row (row-level security on current_studio()), and call
// studio_claim / studio_leave. The roll-ups (rollupUpsert) are kept by statement triggers in the same
// transaction as each upsert, so a batch and its roll-up commit or vanish together.

/** The group role every studio's login role belongs to. */
export const studioGroupRole = 'harvest_studio';

const counted = `status IN ('placed', 'paid')`;
const rollupSelect = (source: string, sign: string) => `
  SELECT (to_timestamp(r.ordered_at / 1000.0) AT TIME ZONE tz)::date AS day, r.studio_id, r.product,
    ${sign} CASE WHEN r.${counted} THEN r.amount_fen ELSE 0 END AS gmv_fen,
    ${sign} CASE WHEN r.${counted} THEN r.order_count ELSE 0 END AS orders,
    ${sign} CASE WHEN r.${counted} THEN r.quantity ELSE 0 END AS units,
    ${sign} CASE WHEN r.status = 'refunded' THEN r.amount_fen ELSE 0 END AS refunded_fen,
    ${sign} CASE WHEN r.status = 'refunded' THEN r.order_count ELSE 0 END AS refunded_orders
  FROM ${source} r`;
const measures = ['gmv_fen', 'orders', 'units', 'refunded_fen', 'refunded_orders'];
const sums = measures.map((m) => `sum(${m})`).join(', ');
const measureColumns = measures.map((m) => `${m} bigint NOT NULL`).join(',\n    ');
const adds = measures.map((m) => `${m} = d.${m} + excluded.${m}`).join(', ');
/**
 * Adds the signed rows' sums to the three roll-ups in one statement: per day × studio × product
 * (product ranking at the edges of a range), per month × studio × product (product ranking over
 * whole months), per day × studio (totals, days, studios, towns, cooperatives). Each answer then
 * reads tens of thousands of rows, not the 900,000 day × studio × product rows of two years.
 */
const rollupUpsert = (rows: string) => `
  WITH delta AS (
    SELECT day, studio_id, product, ${measures.map((m) => `sum(${m}) AS ${m}`).join(', ')}
    FROM (${rows}) c GROUP BY day, studio_id, product
  ), by_product AS (
    INSERT INTO harvest.daily AS d (day, studio_id, product, ${measures.join(', ')})
    SELECT * FROM delta ON CONFLICT (day, studio_id, product) DO UPDATE SET ${adds}
  ), by_month AS (
    INSERT INTO harvest.monthly_product AS d (month, studio_id, product, ${measures.join(', ')})
    SELECT date_trunc('month', day)::date, studio_id, product, ${sums} FROM delta GROUP BY 1, 2, 3
    ON CONFLICT (month, studio_id, product) DO UPDATE SET ${adds}
  )
  INSERT INTO harvest.daily_studio AS d (day, studio_id, ${measures.join(', ')})
  SELECT day, studio_id, ${sums} FROM delta GROUP BY 1, 2
  ON CONFLICT (day, studio_id) DO UPDATE SET ${adds}`;
const definer = `SECURITY DEFINER SET search_path = harvest, pg_temp`;

/** The schema's migrations, in order; `harvest.meta.schema_version` counts those applied. */
const migrations: readonly string[] = [
  `
  CREATE SCHEMA harvest;
  REVOKE ALL ON SCHEMA harvest FROM PUBLIC;
  CREATE TABLE harvest.meta (key text PRIMARY KEY, value text NOT NULL);
  INSERT INTO harvest.meta VALUES ('time_zone', 'Asia/Shanghai');
  CREATE TABLE harvest.studios (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    cooperative text NOT NULL DEFAULT '',
    town text NOT NULL DEFAULT '',
    role_name text NOT NULL UNIQUE,
    state text NOT NULL DEFAULT 'invited' CHECK (state IN ('invited', 'joined', 'left', 'revoked')),
    created_at timestamptz NOT NULL DEFAULT now(),
    invite_expires_at timestamptz,
    joined_at timestamptz,
    left_at timestamptz
  );
  -- The studio's place in its own outbox: moved in the same transaction as the rows it covers.
  CREATE TABLE harvest.cursors (
    studio_id uuid PRIMARY KEY REFERENCES harvest.studios(id),
    seq bigint NOT NULL DEFAULT 0,
    pushed_at timestamptz,
    pushed_rows bigint NOT NULL DEFAULT 0,
    -- Rows of harvest.sales for this studio (kept by the insert trigger; counting 5 M rows is slow).
    sale_rows bigint NOT NULL DEFAULT 0,
    clock_skew_ms bigint
  );
  CREATE TABLE harvest.sales (
    studio_id uuid NOT NULL REFERENCES harvest.studios(id),
    sale_id bigint NOT NULL,
    revision integer NOT NULL,
    show_id text,
    product_id text,
    product text NOT NULL DEFAULT '',
    quantity integer NOT NULL,
    amount_fen bigint NOT NULL,
    platform text,
    ordered_at bigint NOT NULL,
    status text NOT NULL,
    order_count smallint NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (studio_id, sale_id)
  );
  CREATE TABLE harvest.daily (
    day date NOT NULL,
    studio_id uuid NOT NULL,
    product text NOT NULL,
    ${measureColumns},
    PRIMARY KEY (day, studio_id, product)
  );
  CREATE TABLE harvest.monthly_product (
    month date NOT NULL,
    studio_id uuid NOT NULL,
    product text NOT NULL,
    ${measureColumns},
    PRIMARY KEY (month, studio_id, product)
  );
  CREATE TABLE harvest.daily_studio (
    day date NOT NULL,
    studio_id uuid NOT NULL,
    ${measureColumns},
    PRIMARY KEY (day, studio_id)
  );

  CREATE FUNCTION harvest.rollup_insert() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  DECLARE tz text := (SELECT value FROM harvest.meta WHERE key = 'time_zone');
  BEGIN
    ${rollupUpsert(rollupSelect('new_rows', ''))};
    UPDATE harvest.cursors c SET sale_rows = c.sale_rows + n.rows
      FROM (SELECT studio_id, count(*) AS rows FROM new_rows GROUP BY studio_id) n WHERE c.studio_id = n.studio_id;
    RETURN NULL;
  END $$;
  CREATE FUNCTION harvest.rollup_update() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  DECLARE tz text := (SELECT value FROM harvest.meta WHERE key = 'time_zone');
  BEGIN
    ${rollupUpsert(`${rollupSelect('old_rows', '-')} UNION ALL ${rollupSelect('new_rows', '')}`)};
    RETURN NULL;
  END $$;
  CREATE TRIGGER sales_rollup_insert AFTER INSERT ON harvest.sales
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION harvest.rollup_insert();
  CREATE TRIGGER sales_rollup_update AFTER UPDATE ON harvest.sales
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION harvest.rollup_update();

  -- session_user: inside a SECURITY DEFINER function current_user is the definer.
  CREATE FUNCTION harvest.current_studio() RETURNS uuid LANGUAGE sql STABLE ${definer} AS $$
    SELECT id FROM harvest.studios WHERE role_name = session_user AND state = 'joined'
  $$;
  CREATE FUNCTION harvest.studio_claim(verifier text)
    RETURNS TABLE (studio_id uuid, name text, cooperative text, town text) LANGUAGE plpgsql ${definer} AS $$
  #variable_conflict use_column
  DECLARE s harvest.studios;
  BEGIN
    SELECT * INTO s FROM harvest.studios WHERE role_name = session_user FOR UPDATE;
    IF NOT FOUND OR s.state <> 'invited' OR s.invite_expires_at < now() THEN
      RAISE EXCEPTION 'pairing code not valid' USING ERRCODE = '${codeInvalidState}';
    END IF;
    IF verifier !~ '^SCRAM-SHA-256\\$4096:' THEN
      RAISE EXCEPTION 'not a SCRAM verifier' USING ERRCODE = '22023';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L VALID UNTIL %L', session_user, verifier, 'infinity');
    UPDATE harvest.studios SET state = 'joined', joined_at = now(), invite_expires_at = NULL WHERE id = s.id;
    -- A studio joining again (another PC, a restored log) pushes its whole outbox once more:
    -- revisions keep the rows it already sent from going backwards.
    INSERT INTO harvest.cursors (studio_id) VALUES (s.id)
      ON CONFLICT (studio_id) DO UPDATE SET seq = 0;
    RETURN QUERY SELECT s.id, s.name, s.cooperative, s.town;
  END $$;
  CREATE FUNCTION harvest.studio_leave() RETURNS void LANGUAGE plpgsql ${definer} AS $$
  BEGIN
    UPDATE harvest.studios SET state = 'left', left_at = now() WHERE role_name = session_user AND state = 'joined';
    EXECUTE format('ALTER ROLE %I NOLOGIN', session_user);
  END $$;
  REVOKE ALL ON ALL FUNCTIONS IN SCHEMA harvest FROM PUBLIC;

  DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${studioGroupRole}') THEN
      CREATE ROLE ${studioGroupRole} NOLOGIN;
    END IF;
  END $$;
  GRANT USAGE ON SCHEMA harvest TO ${studioGroupRole};
  GRANT EXECUTE ON FUNCTION harvest.current_studio(), harvest.studio_claim(text), harvest.studio_leave()
    TO ${studioGroupRole};
  GRANT SELECT, INSERT, UPDATE ON harvest.sales TO ${studioGroupRole};
  GRANT SELECT, UPDATE ON harvest.cursors TO ${studioGroupRole};
  ALTER TABLE harvest.sales ENABLE ROW LEVEL SECURITY;
  ALTER TABLE harvest.cursors ENABLE ROW LEVEL SECURITY;
  -- (SELECT …) makes the planner run current_studio() once per statement, not once per row.
  CREATE POLICY own_rows ON harvest.sales TO ${studioGroupRole}
    USING (studio_id = (SELECT harvest.current_studio())) WITH CHECK (studio_id = (SELECT harvest.current_studio()));
  CREATE POLICY own_cursor ON harvest.cursors TO ${studioGroupRole}
    USING (studio_id = (SELECT harvest.current_studio())) WITH CHECK (studio_id = (SELECT harvest.current_studio()));
  `,
];

/** The schema version this build writes. */
export const centreSchemaVersion = migrations.length;

/**
 * Brings the centre's schema up to date, in one transaction under an advisory lock
 * (two centre hosts starting together do not race). Refuses a schema from a newer build.
 */
export async function migrateCentre(client: pg.PoolClient | pg.Client): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('harvest centre schema'))`);
    const exists = await client.query<{ ok: boolean }>(`SELECT to_regclass('harvest.meta') IS NOT NULL AS ok`);
    let version = 0;
    if (exists.rows[0]?.ok === true) {
      const row = await client.query<{ value: string }>(`SELECT value FROM harvest.meta WHERE key = 'schema_version'`);
      version = Number(row.rows[0]?.value ?? 0);
    }
    if (version > centreSchemaVersion) {
      throw new StudioError('centre/schema-too-new', 'The centre database was set up by a newer Harvest Studio.', {
        params: { version },
      });
    }
    for (let v = version; v < centreSchemaVersion; v++) {
      await client.query(migrations[v] ?? '');
      await client.query(
        `INSERT INTO harvest.meta VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(v + 1)],
      );
    }
    await client.query('COMMIT');
    return centreSchemaVersion;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
