-- A fixed-window rate limiter in the style of rate-limiter libraries: 10 redis.call per run.
-- KEYS[1] carries a {hash tag}, so the helper keys built from it live in the same slot.
local k = KEYS[1]
local n = redis.call('INCR', k)
redis.call('PEXPIRE', k, 60000, 'NX')
local ttl = redis.call('PTTL', k)
local last = redis.call('GET', k .. ':last')
redis.call('SET', k .. ':last', ARGV[1], 'PX', 60000)
local seen = redis.call('EXISTS', k .. ':last')
local len = redis.call('STRLEN', k)
local ttlSeconds = redis.call('TTL', k)
local current = redis.call('GET', k)
local allowed = n <= tonumber(ARGV[2]) and 1 or 0
redis.call('SET', k .. ':allowed', allowed, 'PX', 60000)
return {allowed, n, ttl, seen, len, ttlSeconds, current, last}
