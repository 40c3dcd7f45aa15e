// Loads an events CSV into a DuckDB table with read_csv (header, types detected) and
// prints the wall and user+sys CPU time of the load and the row count.
// Usage: duckdb_node bench/events_read.cjs FILE [threads]
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [file, threads] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
  const con = await db.connect();
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await con.run(`CREATE TABLE ev AS SELECT * FROM read_csv('${file}', header = true)`);
  const c = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const rows = await con.runAndReadAll('SELECT count(*) FROM ev');
  const types = await con.runAndReadAll("SELECT string_agg(column_name || ' ' || data_type, ', ') FROM information_schema.columns WHERE table_name = 'ev'");
  console.log(`duckdb read_csv: ${wall.toFixed(3)} s wall, ${((c.user + c.system) / 1e6).toFixed(3)} s user+sys, ${rows.getRows()[0][0]} rows (${types.getRows()[0][0]})`);
}
main().catch((e) => { console.error(e); process.exit(1); });
