// Counts sessions (30-minute gap) in an events CSV with DuckDB's lag() window function,
// as bench/sessions.sh compares with journey.SummarizeEventSessions. The load into a
// table is not timed; each query runs three times and prints its wall and user+sys CPU
// time: the session count alone, then the counts of SummarizeSessions (single-page:
// fewer than two "view" events; engaged: 10 s or longer, two views, or a "purchase").
// Usage: duckdb_node bench/sessions.cjs FILE [threads]
const { DuckDBInstance } = require('@duckdb/node-api');

const newSession = `CASE WHEN lag(time) OVER w IS NULL OR time - lag(time) OVER w >= 1800 THEN 1 ELSE 0 END`;
const queries = {
  'duckdb lag() session count': `
    SELECT sum(new) FROM (SELECT ${newSession} AS new FROM ev WINDOW w AS (PARTITION BY user ORDER BY time))`,
  'duckdb lag() session summary': `
    WITH marked AS (
      SELECT user, event, time, ${newSession} AS new FROM ev WINDOW w AS (PARTITION BY user ORDER BY time)),
    numbered AS (
      SELECT user, event, time, sum(new) OVER (PARTITION BY user ORDER BY time ROWS UNBOUNDED PRECEDING) AS sid FROM marked),
    sessions AS (
      SELECT count(*) FILTER (WHERE event = 'view') AS views, max(time) - min(time) AS dur,
             bool_or(event = 'purchase') AS conv
      FROM numbered GROUP BY user, sid)
    SELECT count(*), count(*) FILTER (WHERE views < 2),
           count(*) FILTER (WHERE dur >= 10 OR views >= 2 OR conv) FROM sessions`,
};

async function main() {
  const [file, threads] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
  const con = await db.connect();
  await con.run(`CREATE TABLE ev AS SELECT * FROM read_csv('${file}', header = true)`);
  for (const [name, sql] of Object.entries(queries)) {
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      const res = await con.runAndReadAll(sql);
      const c = process.cpuUsage(c0);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`${name}: ${wall.toFixed(3)} s wall, ${((c.user + c.system) / 1e6).toFixed(3)} s user+sys, ${res.getRows()[0].join(', ')}`);
    }
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
