// Runs the cluster-aware Node.js clients — ioredis `Cluster` and node-redis `createCluster` — against
// OrleansLua silos, as Redis Cluster clients. Prints one JSON line; exit code 0 = every check passed.
//
//   node cluster-check.mjs basic   <ports,comma-separated>
//       keys over every slot, EVAL/EVALSHA with hash-tagged keys, CROSSSLOT for a cross-slot script,
//       pipelines and MULTI/EXEC, through both clients
//   node cluster-check.mjs counter <ports> <seconds> <prefix>
//       both clients INCR 64 counters (plain INCR and a script) from 8 workers each until <seconds> have
//       passed, and report how many increments each counter had acknowledged, plus every error seen:
//       the test moves slots meanwhile and then compares the counters with these numbers
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';

const [mode, portList, secondsArg, prefixArg] = process.argv.slice(2);
const ports = portList.split(',').map(Number);
const seeds = ports.map(port => ({ host: '127.0.0.1', port }));

const checks = [];
const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail });

function ioredisClient() {
  return new Cluster(seeds, {
    // retry what a moving or restarting cluster answers, as an application would configure it
    retryDelayOnFailover: 100, retryDelayOnClusterDown: 100, retryDelayOnTryAgain: 100, retryDelayOnMoved: 0,
    maxRedirections: 32, slotsRefreshTimeout: 2000, slotsRefreshInterval: 2000,
    redisOptions: { maxRetriesPerRequest: 20 },
  });
}

async function nodeRedisClient() {
  const client = createCluster({
    rootNodes: seeds.map(s => ({ url: `redis://${s.host}:${s.port}` })),
    defaults: { socket: { reconnectStrategy: retries => Math.min(50 * retries, 500), connectTimeout: 2000 } },
    maxCommandRedirections: 32,
  });
  client.on('error', () => {}); // reconnects are expected while nodes come and go
  await client.connect();
  return client;
}

const INCR_SCRIPT = "return redis.call('INCR', KEYS[1])";

async function basic() {
  const io = ioredisClient();
  const nr = await nodeRedisClient();
  try {
    // keys over (almost) every slot: each client writes half, reads everything
    const keys = Array.from({ length: 4000 }, (_, i) => `cluster:key:${i}`);
    await Promise.all(keys.map((k, i) => (i % 2 ? io.set(k, `v${i}`) : nr.set(k, `v${i}`))));
    const viaIo = await Promise.all(keys.map(k => io.get(k)));
    const viaNr = await Promise.all(keys.map(k => nr.get(k)));
    check('ioredis reads every key', viaIo.every((v, i) => v === `v${i}`), viaIo.filter((v, i) => v !== `v${i}`).length);
    check('node-redis reads every key', viaNr.every((v, i) => v === `v${i}`), viaNr.filter((v, i) => v !== `v${i}`).length);

    // scripts with hash-tagged keys run atomically in the slot's grain
    const tag = `{script${Date.now()}}`;
    const multiKey = "redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], ARGV[1]) return redis.call('MGET', KEYS[1], KEYS[2])";
    const r1 = await io.eval(multiKey, 2, `${tag}:a`, `${tag}:b`, 'x');
    check('ioredis EVAL with hash-tagged keys', JSON.stringify(r1) === '["x","x"]', r1);
    const r2 = await nr.eval(multiKey, { keys: [`${tag}:c`, `${tag}:d`], arguments: ['y'] });
    check('node-redis EVAL with hash-tagged keys', JSON.stringify(r2) === '["y","y"]', r2);
    const sha = await io.script('LOAD', INCR_SCRIPT);
    const r3 = await io.evalsha(sha, 1, `${tag}:n`);
    const r4 = await nr.evalSha(sha, { keys: [`${tag}:n`] });
    check('EVALSHA through both clients', r3 === 1 && r4 === 2, [r3, r4]);
    let crossSlot = '';
    try {
      await io.eval("return redis.call('SET', KEYS[1], '1')", 2, 'cross:{a}', 'cross:{b}');
    } catch (e) { crossSlot = e.message; }
    check('ioredis cross-slot EVAL gets CROSSSLOT', crossSlot.startsWith('CROSSSLOT'), crossSlot);
    let crossSlotNr = '';
    try {
      await nr.sendCommand(undefined, false, ['EVAL', "return 1", '2', 'cross:{a}', 'cross:{b}']);
    } catch (e) { crossSlotNr = e.message; }
    check('node-redis cross-slot EVAL gets CROSSSLOT', crossSlotNr.startsWith('CROSSSLOT'), crossSlotNr);

    // pipeline and MULTI/EXEC within one slot
    const p = io.pipeline();
    for (let i = 0; i < 50; i++) p.incr(`${tag}:pipe`);
    const piped = await p.exec();
    check('ioredis pipeline', piped.length === 50 && piped[49][1] === 50, piped.at(-1));
    const tx = await io.multi().set(`${tag}:tx`, '1').incr(`${tag}:tx`).get(`${tag}:tx`).exec();
    check('ioredis MULTI/EXEC', JSON.stringify(tx) === '[[null,"OK"],[null,2],[null,"2"]]', tx);
    const txNr = await nr.multi().set(`${tag}:txn`, '5').incr(`${tag}:txn`).exec();
    check('node-redis MULTI/EXEC', JSON.stringify(txNr) === '["OK",6]', txNr);
    const slots = await io.cluster('SLOTS');
    const covered = slots.reduce((n, [start, end]) => n + end - start + 1, 0);
    check('CLUSTER SLOTS covers all 16384 slots', covered === 16384, covered);
  } finally {
    io.disconnect();
    await nr.quit().catch(() => {});
  }
}

async function counter(seconds, prefix) {
  const io = ioredisClient();
  const nr = await nodeRedisClient();
  const shaIo = await io.script('LOAD', INCR_SCRIPT);
  const counters = Array.from({ length: 64 }, (_, i) => `${prefix}:${i}`);
  const acked = Object.fromEntries(counters.map(c => [c, 0]));
  const errors = {};
  const deadline = Date.now() + seconds * 1000;
  let operations = 0;
  async function worker(id) {
    let i = id;
    while (Date.now() < deadline) {
      const key = counters[i++ % counters.length];
      const useNr = id % 2 === 1;
      const script = i % 3 === 0;
      try {
        const value = useNr
          ? (script ? await nr.evalSha(shaIo, { keys: [key] }) : await nr.incr(key))
          : (script ? await io.evalsha(shaIo, 1, key) : await io.incr(key));
        if (typeof value !== 'number') throw new Error(`unexpected reply ${value}`);
        acked[key]++;
        operations++;
      } catch (e) {
        const kind = `${useNr ? 'node-redis' : 'ioredis'}: ${String(e.message).split('\n')[0].slice(0, 120)}`;
        errors[kind] = (errors[kind] ?? 0) + 1;
        await new Promise(r => setTimeout(r, 50));
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, (_, id) => worker(id)));
  io.disconnect();
  await nr.quit().catch(() => {});
  return { acked, errors, operations };
}

const timer = setTimeout(() => { console.log(JSON.stringify({ ok: false, error: 'timed out' })); process.exit(2); }, 300_000);
try {
  if (mode === 'basic') {
    await basic();
    console.log(JSON.stringify({ ok: checks.every(c => c.ok), checks }));
    process.exitCode = checks.every(c => c.ok) ? 0 : 1;
  } else if (mode === 'counter') {
    const result = await counter(Number(secondsArg), prefixArg);
    console.log(JSON.stringify({ ok: true, ...result }));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e.stack ?? e), checks }));
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
}
