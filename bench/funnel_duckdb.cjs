// The DuckDB peer of funnel.Run for bench/funnel.sh: loads the benchmark log (untimed),
// then computes the 5-step ordered funnel visit → view → cart → checkout → purchase with
// a 2-hour window from the first step, every first-step event starting an attempt
// (funnel.LatestStart), reps times (timed), and prints the step counts: the users whose
// best attempt reached each step. Each step is the first event of its name after the
// previous step, found by an ASOF join; an attempt stops at the first step outside the
// window. Usage: node funnel_duckdb.cjs events.csv reps
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [file, reps] = [process.argv[2], Number(process.argv[3] || 3)];
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`CREATE TABLE ev AS SELECT * FROM read_csv('${file}', header = true,
                 columns = {'user': 'VARCHAR', 'event': 'VARCHAR', 't': 'BIGINT'})`);
  const threads = (await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
  const steps = ['visit', 'view', 'cart', 'checkout', 'purchase'];
  const window = 2n * 3600n * 1000000000n;
  // s0: every first-step event; s_k: the first step-k event after the attempt's step k-1,
  // kept only inside the window of the anchor t0.
  let sql = `WITH s0 AS (SELECT "user", t AS t0, t AS t_0 FROM ev WHERE event = '${steps[0]}')`;
  for (let k = 1; k < steps.length; k++) {
    sql += `,
      e${k} AS (SELECT "user", t FROM ev WHERE event = '${steps[k]}'),
      s${k} AS (SELECT s."user", s.t0, e.t AS t_${k}
                FROM s${k - 1} s ASOF JOIN e${k} e ON s."user" = e."user" AND e.t > s.t_${k - 1}
                WHERE e.t - s.t0 <= ${window})`;
  }
  const reached = steps.map((_, k) => `(SELECT count(DISTINCT "user") FROM s${k})`).join(', ');
  sql += `\n    SELECT ${reached}`;
  const times = [];
  let counts;
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    counts = (await con.runAndReadAll(sql)).getRows()[0].map(Number);
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const med = sorted[Math.floor((sorted.length - 1) / 2)];
  console.log(`duckdb ASOF, ${threads} thread(s): counts [${counts.join(' ')}]; wall best ${sorted[0].toFixed(3)}s median ${med.toFixed(3)}s`);
}

main().catch((e) => { console.error(e); process.exit(1); });
