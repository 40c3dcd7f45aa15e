// The DuckDB peer of cohort.Build for bench/cohort.sh: loads the log (untimed), then
// computes daily calendar cohorts in Europe/Berlin and the "return on day N" counts of
// every finished cell, as of the latest event, reps times (timed), and writes the cells
// as "cohort-date N eligible active" lines, as cohortbench run does.
// Usage: node cohort_duckdb.cjs events.csv reps cells.txt
const { DuckDBInstance } = require('@duckdb/node-api');
const fs = require('fs');

async function main() {
  const [file, reps, out] = [process.argv[2], Number(process.argv[3] || 3), process.argv[4]];
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run("SET TimeZone = 'Europe/Berlin'");
  await con.run(`CREATE TABLE ev AS SELECT "user", event, to_timestamp("time") AS ts
                 FROM read_csv('${file}', header = true, columns = {'user': 'VARCHAR', 'event': 'VARCHAR', 'time': 'BIGINT'})`);
  const threads = (await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
  // A user's day is the calendar date of the event in Europe/Berlin (the session's time
  // zone); the cohort is the first day, N the days since it; a cell is finished when its
  // day ends by the latest event, that is when it is before the latest event's day.
  const sql = `
    WITH d AS (SELECT DISTINCT "user", CAST(ts AS DATE) AS day FROM ev),
         f AS (SELECT "user", min(day) AS c FROM d GROUP BY "user"),
         sizes AS (SELECT c, count(*) AS users FROM f GROUP BY c),
         lastday AS (SELECT CAST(max(ts) AS DATE) AS a FROM ev),
         p AS (SELECT f.c, d.day - f.c AS n FROM d JOIN f USING ("user"))
    SELECT strftime(p.c, '%Y-%m-%d') AS c, p.n, sizes.users, count(*) AS active
    FROM p JOIN sizes USING (c), lastday
    WHERE p.n >= 1 AND p.n < lastday.a - p.c
    GROUP BY ALL ORDER BY 1, 2`;
  const times = [];
  let rows;
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    rows = (await con.runAndReadAll(sql)).getRows();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  // Cells where nobody came back have no row in the join: list every finished cell.
  const cohorts = (await con.runAndReadAll(`
    SELECT strftime(c, '%Y-%m-%d'), users, (SELECT CAST(max(ts) AS DATE) FROM ev) - c - 1 AS last
    FROM (SELECT c, count(*) AS users FROM (SELECT "user", min(CAST(ts AS DATE)) AS c FROM ev GROUP BY "user") GROUP BY c)
    ORDER BY 1`)).getRows();
  const active = new Map(rows.map(r => [`${r[0]} ${r[1]}`, r[3]]));
  const lines = [];
  for (const [c, users, last] of cohorts) {
    for (let n = 1; n <= Number(last); n++) {
      lines.push(`${c} ${n} ${users} ${active.get(`${c} ${n}`) ?? 0}`);
    }
  }
  if (out) fs.writeFileSync(out, lines.join('\n') + '\n');
  console.log(`duckdb SQL (${threads} threads): ${lines.length} finished cells: best ${times[0].toFixed(3)} s, median ${times[Math.floor(times.length / 2)].toFixed(3)} s`);
}
main().catch(e => { console.error(e); process.exit(1); });
