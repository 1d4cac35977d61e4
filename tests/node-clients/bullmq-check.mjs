// Runs a real BullMQ queue and worker against an OrleansLua gateway and checks that every job
// completes exactly once, with retries, delays and priorities honoured. Prints a JSON summary;
// exit code 0 = all checks passed. Usage: node bullmq-check.mjs <port>
import { Queue, Worker } from 'bullmq';

const port = Number(process.argv[2]);
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
// The {hash tag} keeps every key of the queue in one slot, as Redis Cluster requires.
const prefix = `{bull${Date.now()}}`;
const checks = [];
const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail });

const deadline = setTimeout(() => finish('timed out'), 90_000);

async function runPhase(name, concurrency, addJobs) {
  const queue = new Queue(name, { connection, prefix });
  const runs = new Map();
  const order = [];
  const completed = new Map();
  const worker = new Worker(name, async job => {
    runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
    order.push(job.name);
    if (job.data.failOnce && job.attemptsMade === 0) throw new Error('first attempt fails');
    return job.data.n * 2;
  }, { connection, prefix, concurrency, autorun: false });
  const expected = await addJobs(queue);
  const done = new Promise(resolve => {
    worker.on('completed', (job, result) => {
      completed.set(job.id, (completed.get(job.id) ?? 0) + 1);
      if (result !== job.data.n * 2) check(`${name}: result of ${job.id}`, false, result);
      if ([...completed.values()].reduce((a, b) => a + b, 0) >= expected) resolve();
    });
  });
  const started = Date.now();
  worker.run();
  await done;
  await new Promise(r => setTimeout(r, 300)); // a duplicate completion would show up here
  const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active');
  await worker.close();
  await queue.close();
  return { runs, order, completed, counts, elapsed: Date.now() - started, expected };
}

async function main() {
  const basic = await runPhase('basic', 5, async queue => {
    for (let n = 0; n < 40; n++) await queue.add('plain', { n });
    for (let n = 40; n < 45; n++) await queue.add('retry', { n, failOnce: true }, { attempts: 2 });
    for (let n = 45; n < 50; n++) await queue.add('delayed', { n }, { delay: 500 });
    return 50;
  });
  check('every job completed exactly once', basic.completed.size === 50 && [...basic.completed.values()].every(c => c === 1),
    { completed: basic.completed.size });
  check('retried jobs ran twice', [...basic.runs.entries()].filter(([, r]) => r === 2).length === 5);
  check('job counts', basic.counts.completed === 50 && basic.counts.failed === 0 && basic.counts.waiting === 0 && basic.counts.delayed === 0, basic.counts);
  check('delayed jobs waited', basic.elapsed >= 450, { elapsed: basic.elapsed });

  const prioritized = await runPhase('priorities', 1, async queue => {
    await queue.add('low', { n: 1 }, { priority: 10 });
    await queue.add('high', { n: 2 }, { priority: 1 });
    await queue.add('middle', { n: 3 }, { priority: 5 });
    return 3;
  });
  check('priorities order processing', prioritized.order.join(',') === 'high,middle,low', prioritized.order);
  finish();
}

function finish(error) {
  clearTimeout(deadline);
  if (error) check('run', false, error);
  const ok = checks.length > 0 && checks.every(c => c.ok);
  console.log(JSON.stringify({ ok, checks }, null, 1));
  process.exit(ok ? 0 : 1);
}

main().catch(e => finish(String(e?.stack ?? e)));
